/// A UDP header (RFC 768). `length` covers header and payload.
public struct UDPHeader: Sendable, Hashable {
    public static let length = 8

    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var length: UInt16
    /// Zero means "no checksum" over IPv4.
    public var checksum: UInt16

    public init(sourcePort: UInt16, destinationPort: UInt16, length: UInt16 = 8, checksum: UInt16 = 0) {
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.length = length
        self.checksum = checksum
    }

    /// Payload length the header claims (never negative).
    public var payloadLength: Int { max(Int(length) - Self.length, 0) }

    public func serialize(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(sourcePort)
        bytes.appendBigEndian(destinationPort)
        bytes.appendBigEndian(length)
        bytes.appendBigEndian(checksum)
    }

    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(Self.length)
        serialize(into: &result)
        return result
    }

    /// Sets `length` and `checksum` for this header carrying `payload` over IPv4. A computed
    /// checksum of zero is sent as 0xFFFF, since zero on the wire means "none" (RFC 768).
    public mutating func update(for payload: [UInt8], source: UInt32, destination: UInt32) {
        length = UInt16(truncatingIfNeeded: Self.length + payload.count)
        checksum = 0
        var segment = bytes
        segment.append(contentsOf: payload)
        let sum = PseudoHeader.ipv4(source: source, destination: destination, protocol: .udp).checksum(segment)
        checksum = sum == 0 ? 0xFFFF : sum
    }

    /// IPv6 variant of `update`; the checksum is mandatory there (RFC 8200 §8.1).
    public mutating func update(for payload: [UInt8], source: UInt128, destination: UInt128) {
        length = UInt16(truncatingIfNeeded: Self.length + payload.count)
        checksum = 0
        var segment = bytes
        segment.append(contentsOf: payload)
        let sum = PseudoHeader.ipv6(source: source, destination: destination, nextHeader: .udp).checksum(segment)
        checksum = sum == 0 ? 0xFFFF : sum
    }

    /// Parses a whole UDP datagram: the header, plus the range of `bytes` holding the payload
    /// (as long as `length` says; trailing bytes are ignored). Throws if `length` is below 8 or
    /// runs past the buffer.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer
    ) throws(PacketError) -> (header: UDPHeader, payload: Range<Int>) {
        var reader = ByteReader(bytes, layer: .udp)
        try reader.require(Self.length)
        let header = UDPHeader(
            sourcePort: try reader.readUInt16(), destinationPort: try reader.readUInt16(),
            length: try reader.readUInt16(), checksum: try reader.readUInt16())
        let claimed = Int(header.length)
        guard claimed >= Self.length else {
            throw .totalLengthTooSmall(.udp, length: claimed, minimum: Self.length)
        }
        guard claimed <= bytes.count else {
            throw .totalLengthPastEnd(.udp, length: claimed, available: bytes.count)
        }
        return (header, Self.length..<claimed)
    }

    /// Parses a UDP datagram held in an array, copying out the payload.
    public static func parse(_ bytes: [UInt8]) throws(PacketError) -> (header: UDPHeader, payload: [UInt8]) {
        let (header, range) = try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(raw) }
        return (header, Array(bytes[range]))
    }
}
