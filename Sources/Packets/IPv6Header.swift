/// The fixed 40-byte IPv6 header (RFC 8200). `nextHeader` is reported as found; the extension
/// headers that may follow are walked by `IPv6Extensions` (`ParsedIPv6Packet` and quotes do so).
/// Addresses are host-order `UInt128` values (`1` is ::1).
public struct IPv6Header: Sendable, Hashable {
    public static let length = 40

    public var trafficClass: UInt8
    /// Only the low 20 bits are kept.
    public var flowLabel: UInt32
    /// Bytes after this 40-byte header.
    public var payloadLength: UInt16
    public var nextHeader: IPProtocol
    public var hopLimit: UInt8
    public var source: UInt128
    public var destination: UInt128

    public init(
        trafficClass: UInt8 = 0, flowLabel: UInt32 = 0, payloadLength: UInt16 = 0,
        nextHeader: IPProtocol, hopLimit: UInt8 = 64, source: UInt128, destination: UInt128
    ) {
        self.trafficClass = trafficClass
        self.flowLabel = flowLabel & 0xF_FFFF
        self.payloadLength = payloadLength
        self.nextHeader = nextHeader
        self.hopLimit = hopLimit
        self.source = source
        self.destination = destination
    }

    public func serialize(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(6 << 28 | UInt32(trafficClass) << 20 | flowLabel & 0xF_FFFF)
        bytes.appendBigEndian(payloadLength)
        bytes.append(nextHeader.rawValue)
        bytes.append(hopLimit)
        bytes.appendBigEndian(source)
        bytes.appendBigEndian(destination)
    }

    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(Self.length)
        serialize(into: &result)
        return result
    }

    /// Parses the fixed header of a whole packet; throws if the payload length runs past the buffer.
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(PacketError) -> IPv6Header {
        try parse(bytes, layer: .ipv6, requireWholePacket: true)
    }

    public static func parse(_ bytes: [UInt8]) throws(PacketError) -> IPv6Header {
        try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(raw) }
    }

    /// `requireWholePacket` is false for the header quoted inside an ICMPv6 error, whose payload is cut short.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, layer: PacketError.Layer, requireWholePacket: Bool
    ) throws(PacketError) -> IPv6Header {
        var reader = ByteReader(bytes, layer: layer)
        try reader.require(length)
        let first = try reader.readUInt32()
        guard first >> 28 == 6 else { throw .wrongVersion(layer, found: UInt8(truncatingIfNeeded: first >> 28)) }
        let payloadLength = try reader.readUInt16()
        if requireWholePacket, length + Int(payloadLength) > bytes.count {
            throw .totalLengthPastEnd(layer, length: length + Int(payloadLength), available: bytes.count)
        }
        return IPv6Header(
            trafficClass: UInt8(truncatingIfNeeded: first >> 20), flowLabel: first & 0xF_FFFF,
            payloadLength: payloadLength, nextHeader: IPProtocol(rawValue: try reader.readUInt8()),
            hopLimit: try reader.readUInt8(), source: try reader.readUInt128(),
            destination: try reader.readUInt128())
    }
}
