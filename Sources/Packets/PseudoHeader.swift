/// TCP, UDP and ICMPv6 checksums also cover a "pseudo-header" of IP fields (RFC 793, 768, 8200 §8.1),
/// so a segment delivered to the wrong address or protocol fails its checksum. One value names the
/// pseudo-header of either family; the checksum over a segment is written once, for both.
public enum PseudoHeader: Hashable, Sendable {
    /// src, dst, zero, protocol, transport length.
    case ipv4(source: UInt32, destination: UInt32, protocol: IPProtocol)
    /// src, dst, 32-bit length, 24 zero bits, next header.
    case ipv6(source: UInt128, destination: UInt128, nextHeader: IPProtocol)

    /// A checksum seeded with this pseudo-header for a segment of `length` bytes: add the segment
    /// to it, then read `checksum` (sending) or `isValid` (receiving, checksum field as received).
    public func seed(length: Int) -> InternetChecksum {
        var accumulator = InternetChecksum()
        switch self {
        case .ipv4(let source, let destination, let proto):
            accumulator.add(source)
            accumulator.add(destination)
            accumulator.add(UInt16(proto.rawValue))
            accumulator.add(UInt32(truncatingIfNeeded: length))
        case .ipv6(let source, let destination, let nextHeader):
            accumulator.add(source)
            accumulator.add(destination)
            accumulator.add(UInt32(truncatingIfNeeded: length))
            accumulator.add(UInt16(nextHeader.rawValue))
        }
        return accumulator
    }

    /// The checksum for a transport segment (header with a zero checksum field, plus payload).
    public func checksum(_ segment: UnsafeRawBufferPointer) -> UInt16 {
        var accumulator = seed(length: segment.count)
        accumulator.add(segment)
        return accumulator.checksum
    }

    public func checksum(_ segment: [UInt8]) -> UInt16 {
        segment.withUnsafeBytes { checksum($0) }
    }
}
