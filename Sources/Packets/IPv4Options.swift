/// The options area of an IPv4 header, kept as raw bytes (scanners never need to interpret them,
/// but a parse → serialize round trip must reproduce them exactly). At most 40 bytes, padded to a
/// multiple of 4, and always structurally valid.
public struct IPv4Options: Sendable, Hashable {
    var raw: OptionBytes

    /// No options (a 20-byte header).
    public init() { raw = OptionBytes() }

    /// Encoded options; padded with end-of-list bytes to a multiple of 4.
    /// Throws if longer than 40 bytes or if an option's length byte is wrong.
    public init(bytes: [UInt8]) throws(PacketError) {
        raw = try OptionBytes(encoded: bytes, layer: .ipv4)
    }

    init(raw: OptionBytes) { self.raw = raw }

    public var count: Int { raw.count }
    public var isEmpty: Bool { raw.count == 0 }
    public var bytes: [UInt8] { raw.array }
}
