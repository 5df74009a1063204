/// The options area of a TCP header: up to 40 bytes stored inline (no allocation when parsed),
/// padded to a multiple of 4, always structurally valid. Decoded views are computed on demand.
public struct TCPOptions: Sendable, Hashable {
    var raw: OptionBytes

    /// No options (a 20-byte header).
    public init() { raw = OptionBytes() }

    /// Encodes options in order and pads with end-of-list bytes; throws if they exceed 40 bytes.
    public init(_ options: [TCPOption]) throws(PacketError) {
        var encoded = [UInt8]()
        for option in options { option.encode(into: &encoded) }
        raw = try OptionBytes(encoded: encoded, layer: .tcp)
    }

    /// Raw option bytes as they would appear on the wire (padded to a multiple of 4).
    public init(bytes: [UInt8]) throws(PacketError) {
        raw = try OptionBytes(encoded: bytes, layer: .tcp)
    }

    init(raw: OptionBytes) { self.raw = raw }

    /// Just an MSS option: what a SYN probe usually carries.
    static func mss(_ value: UInt16) -> TCPOptions {
        var options = TCPOptions()
        options.raw = OptionBytes(mss: value)
        return options
    }

    public var count: Int { raw.count }
    public var isEmpty: Bool { raw.count == 0 }
    public var bytes: [UInt8] { raw.array }

    /// The decoded options up to end-of-list (padding is not reported). Allocates; use the
    /// specific accessors below on hot paths.
    public var decoded: [TCPOption] {
        var result = [TCPOption]()
        raw.forEachOption { kind, data in result.append(decode(kind: kind, data: data)) }
        return result
    }

    /// The MSS the peer announced, if any (allocation-free).
    public var maximumSegmentSize: UInt16? {
        var found: UInt16?
        raw.forEachOption { kind, data in
            if kind == 2, data.count == 2, found == nil {
                found = UInt16(raw[data.lowerBound]) << 8 | UInt16(raw[data.lowerBound + 1])
            }
        }
        return found
    }

    private func decode(kind: UInt8, data: Range<Int>) -> TCPOption {
        func byte(_ i: Int) -> UInt8 { raw[data.lowerBound + i] }
        func word32(_ i: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(byte(i + $1)) }
        }
        switch (kind, data.count) {
        case (1, _): return .noOperation
        case (2, 2): return .maximumSegmentSize(UInt16(byte(0)) << 8 | UInt16(byte(1)))
        case (3, 1): return .windowScale(byte(0))
        case (4, 0): return .sackPermitted
        case (8, 8): return .timestamps(value: word32(0), echoReply: word32(4))
        default: return .unknown(kind: kind, data: data.map { raw[$0] })
        }
    }
}
