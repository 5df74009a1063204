/// An ICMPv6 message (RFC 4443), basic: echo and destination unreachable decoded, other errors
/// keep their quote, everything else (neighbour discovery, MLD, ...) is left undecoded.
public enum ICMPv6Message: Sendable, Hashable {
    case echoRequest(ICMPEcho)
    case echoReply(ICMPEcho)
    case destinationUnreachable(ICMPv6UnreachableCode, QuotedIPv6Datagram)
    /// Packet too big (2), time exceeded (3), parameter problem (4), or type 1 with an unassigned code.
    case otherError(type: UInt8, code: UInt8, QuotedIPv6Datagram)
    /// Type 136: the answer to a neighbour solicitation, naming the address it speaks for (flags
    /// and options are not kept).
    case neighborAdvertisement(target: UInt128)
    case other(type: UInt8, code: UInt8)

    public static let headerLength = 8

    public var type: UInt8 {
        switch self {
        case .echoRequest: 128
        case .echoReply: 129
        case .destinationUnreachable: 1
        case .neighborAdvertisement: 136
        case .otherError(let type, _, _), .other(let type, _): type
        }
    }

    public var code: UInt8 {
        switch self {
        case .echoRequest, .echoReply, .neighborAdvertisement: 0
        case .destinationUnreachable(let code, _): code.rawValue
        case .otherError(_, let code, _), .other(_, let code): code
        }
    }

    public var quoted: QuotedIPv6Datagram? {
        switch self {
        case .destinationUnreachable(_, let quoted), .otherError(_, _, let quoted): quoted
        case .echoRequest, .echoReply, .neighborAdvertisement, .other: nil
        }
    }

    /// The message with its checksum, which for ICMPv6 covers the IPv6 pseudo-header, hence the
    /// addresses. Unmodelled rest-of-header fields are written as zero.
    public func bytes(source: UInt128, destination: UInt128) -> [UInt8] {
        var result = [UInt8]()
        result.append(type)
        result.append(code)
        result.appendBigEndian(UInt16(0))
        switch self {
        case .echoRequest(let echo), .echoReply(let echo):
            result.appendBigEndian(echo.identifier)
            result.appendBigEndian(echo.sequence)
            result.append(contentsOf: echo.payload)
        case .destinationUnreachable(_, let quoted), .otherError(_, _, let quoted):
            result.appendBigEndian(UInt32(0))
            quoted.serialize(into: &result)
        case .neighborAdvertisement(let target):
            result.appendBigEndian(UInt32(0x6000_0000))  // solicited, override
            result.appendBigEndian(target)
        case .other:
            result.appendBigEndian(UInt32(0))
        }
        let checksum = PseudoHeader.ipv6(source: source, destination: destination, nextHeader: .icmpv6)
            .checksum(result)
        result.storeBigEndian(checksum, at: 2)
        return result
    }

    /// Parses a whole ICMPv6 message (what a Linux raw ICMPv6 socket returns: no IPv6 header).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(PacketError) -> ICMPv6Message {
        var reader = ByteReader(bytes, layer: .icmpv6)
        try reader.require(headerLength)
        let type = try reader.readUInt8()
        let code = try reader.readUInt8()
        _ = try reader.readUInt16()  // checksum
        switch type {
        case 128, 129:
            let echo = ICMPEcho(
                identifier: try reader.readUInt16(), sequence: try reader.readUInt16(),
                payload: Array(reader.readRest()))
            return type == 128 ? .echoRequest(echo) : .echoReply(echo)
        case 1...4:
            _ = try reader.readUInt32()  // unused / MTU / pointer
            let quoted = try QuotedIPv6Datagram.parse(reader.readRest())
            if type == 1, let known = ICMPv6UnreachableCode(rawValue: code) {
                return .destinationUnreachable(known, quoted)
            }
            return .otherError(type: type, code: code, quoted)
        case 136:
            _ = try reader.readUInt32()  // flags
            return .neighborAdvertisement(target: try reader.readUInt128())
        default:
            return .other(type: type, code: code)
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(PacketError) -> ICMPv6Message {
        try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(raw) }
    }
}
