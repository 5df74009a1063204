/// The first (up to) 8 bytes of the transport header quoted in an ICMP error. RFC 792 promises
/// 8 bytes, which is exactly enough for ports and, for TCP, the sequence number: with those a
/// scanner ties an error to the probe that caused it, without keeping a per-probe table.
/// Stored inline (no allocation); accessors return nil when the quote is too short or the
/// protocol has no such field.
public struct QuotedTransport: Sendable, Hashable {
    public static let maximumLength = 8

    /// The quoted IP header's protocol / next header.
    public let `protocol`: IPProtocol
    /// The quoted bytes, first byte in the top 8 bits.
    private let packed: UInt64
    /// How many bytes were quoted (0...8).
    public let count: Int

    /// Keeps the first 8 bytes of `bytes`.
    public init(protocol proto: IPProtocol, bytes: some Sequence<UInt8>) {
        var packed: UInt64 = 0
        var count = 0
        for byte in bytes {
            guard count < Self.maximumLength else { break }
            packed |= UInt64(byte) << UInt64(56 - 8 * count)
            count += 1
        }
        self.protocol = proto
        self.packed = packed
        self.count = count
    }

    public var bytes: [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: packed >> UInt64(56 - 8 * $0)) }
    }

    private func word16(at offset: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: packed >> UInt64(48 - 8 * offset))
    }

    private var hasPorts: Bool { (`protocol` == .tcp || `protocol` == .udp) && count >= 4 }
    private var isICMP: Bool { `protocol` == .icmp || `protocol` == .icmpv6 }

    public var sourcePort: UInt16? { hasPorts ? word16(at: 0) : nil }
    public var destinationPort: UInt16? { hasPorts ? word16(at: 2) : nil }
    /// The TCP sequence number of the quoted segment: a SYN scanner's probe identity.
    public var tcpSequence: UInt32? {
        `protocol` == .tcp && count >= 8 ? UInt32(truncatingIfNeeded: packed) : nil
    }
    /// The ICMP type of a quoted ICMP message (e.g. 8 for a quoted echo request).
    public var icmpType: UInt8? {
        isICMP && count >= 1 ? UInt8(truncatingIfNeeded: packed >> 56) : nil
    }
    /// Identifier and sequence of a quoted ICMP echo (how a ping sweep matches a time-exceeded).
    public var icmpIdentifier: UInt16? { isICMP && count >= 6 ? word16(at: 4) : nil }
    public var icmpSequence: UInt16? { isICMP && count >= 8 ? word16(at: 6) : nil }
}
