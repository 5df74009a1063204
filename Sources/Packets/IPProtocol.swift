/// An IP protocol number (IPv4 "protocol", IPv6 "next header"). A struct rather than an enum
/// because any of the 256 values can arrive on the wire and must survive a parse unchanged.
public struct IPProtocol: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let icmp = IPProtocol(rawValue: 1)
    public static let tcp = IPProtocol(rawValue: 6)
    public static let udp = IPProtocol(rawValue: 17)
    public static let icmpv6 = IPProtocol(rawValue: 58)

    public var description: String {
        switch self {
        case .icmp: "icmp"
        case .tcp: "tcp"
        case .udp: "udp"
        case .icmpv6: "icmpv6"
        default: "proto-\(rawValue)"
        }
    }
}
