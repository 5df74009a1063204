/// TCP, UDP and ICMPv6 checksums also cover a "pseudo-header" of IP fields (RFC 793, 768, 8200 §8.1),
/// so a segment delivered to the wrong address or protocol fails its checksum. These helpers seed an
/// `InternetChecksum` with that pseudo-header and finish the job for a whole transport segment.
extension InternetChecksum {
    /// Starts a checksum with the IPv4 pseudo-header: src, dst, zero, protocol, transport length.
    public static func ipv4PseudoHeader(
        source: UInt32, destination: UInt32, protocol proto: IPProtocol, length: Int
    ) -> InternetChecksum {
        var accumulator = InternetChecksum()
        accumulator.add(source)
        accumulator.add(destination)
        accumulator.add(UInt16(proto.rawValue))
        accumulator.add(UInt32(truncatingIfNeeded: length))
        return accumulator
    }

    /// Starts a checksum with the IPv6 pseudo-header: src, dst, 32-bit length, 24 zero bits, next header.
    public static func ipv6PseudoHeader(
        source: UInt128, destination: UInt128, nextHeader: IPProtocol, length: Int
    ) -> InternetChecksum {
        var accumulator = InternetChecksum()
        accumulator.add(source)
        accumulator.add(destination)
        accumulator.add(UInt32(truncatingIfNeeded: length))
        accumulator.add(UInt16(nextHeader.rawValue))
        return accumulator
    }

    /// The checksum for a transport segment (header with a zero checksum field, plus payload) over IPv4.
    public static func transportChecksum(
        segment: UnsafeRawBufferPointer, source: UInt32, destination: UInt32, protocol proto: IPProtocol
    ) -> UInt16 {
        var accumulator = ipv4PseudoHeader(
            source: source, destination: destination, protocol: proto, length: segment.count)
        accumulator.add(segment)
        return accumulator.checksum
    }

    public static func transportChecksum(
        segment: [UInt8], source: UInt32, destination: UInt32, protocol proto: IPProtocol
    ) -> UInt16 {
        segment.withUnsafeBytes {
            transportChecksum(segment: $0, source: source, destination: destination, protocol: proto)
        }
    }

    /// The checksum for a transport segment (checksum field zero) over IPv6.
    public static func transportChecksum(
        segment: UnsafeRawBufferPointer, source: UInt128, destination: UInt128, nextHeader: IPProtocol
    ) -> UInt16 {
        var accumulator = ipv6PseudoHeader(
            source: source, destination: destination, nextHeader: nextHeader, length: segment.count)
        accumulator.add(segment)
        return accumulator.checksum
    }

    public static func transportChecksum(
        segment: [UInt8], source: UInt128, destination: UInt128, nextHeader: IPProtocol
    ) -> UInt16 {
        segment.withUnsafeBytes {
            transportChecksum(segment: $0, source: source, destination: destination, nextHeader: nextHeader)
        }
    }

    /// Verifies a received TCP/UDP segment (checksum field as received) over IPv4.
    /// A UDP checksum of zero means "not computed" (RFC 768); callers decide whether to accept that.
    public static func verifyTransport(
        segment: UnsafeRawBufferPointer, source: UInt32, destination: UInt32, protocol proto: IPProtocol
    ) -> Bool {
        var accumulator = ipv4PseudoHeader(
            source: source, destination: destination, protocol: proto, length: segment.count)
        accumulator.add(segment)
        return accumulator.isValid
    }

    public static func verifyTransport(
        segment: [UInt8], source: UInt32, destination: UInt32, protocol proto: IPProtocol
    ) -> Bool {
        segment.withUnsafeBytes {
            verifyTransport(segment: $0, source: source, destination: destination, protocol: proto)
        }
    }

    /// Verifies a received TCP/UDP/ICMPv6 segment over IPv6.
    public static func verifyTransport(
        segment: UnsafeRawBufferPointer, source: UInt128, destination: UInt128, nextHeader: IPProtocol
    ) -> Bool {
        var accumulator = ipv6PseudoHeader(
            source: source, destination: destination, nextHeader: nextHeader, length: segment.count)
        accumulator.add(segment)
        return accumulator.isValid
    }

    public static func verifyTransport(
        segment: [UInt8], source: UInt128, destination: UInt128, nextHeader: IPProtocol
    ) -> Bool {
        segment.withUnsafeBytes {
            verifyTransport(segment: $0, source: source, destination: destination, nextHeader: nextHeader)
        }
    }
}
