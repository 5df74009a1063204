/// The three flag bits in front of the IPv4 fragment offset.
public struct IPv4Flags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0b111 }

    public static let moreFragments = IPv4Flags(rawValue: 0b001)
    public static let dontFragment = IPv4Flags(rawValue: 0b010)
    /// Must be zero (RFC 791); RFC 3514's "evil bit". Kept so odd packets survive a round trip.
    public static let reserved = IPv4Flags(rawValue: 0b100)
}
