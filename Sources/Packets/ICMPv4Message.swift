/// An ICMPv4 message (RFC 792), decoded as far as a scanner needs: echo for host discovery, and
/// the error messages whose quoted datagram says which probe met which fate.
public enum ICMPv4Message: Sendable, Hashable {
    case echoReply(ICMPEcho)
    case echoRequest(ICMPEcho)
    /// Timestamp request (13) and reply (14): identifier and sequence as in an echo; the three
    /// 32-bit timestamps (originate, receive, transmit) are the payload.
    case timestampRequest(ICMPEcho)
    case timestampReply(ICMPEcho)
    case destinationUnreachable(UnreachableCode, QuotedDatagram)
    case timeExceeded(TimeExceededCode, QuotedDatagram)
    /// Another error that quotes a datagram (source quench 4, redirect 5, parameter problem 12),
    /// or type 3 / 11 with a code no RFC assigns. Rest-of-header fields are not kept.
    case otherError(type: UInt8, code: UInt8, QuotedDatagram)
    /// Any other message (router advertisement, ...), undecoded.
    case other(type: UInt8, code: UInt8)

    public static let headerLength = 8

    public var type: UInt8 {
        switch self {
        case .echoReply: 0
        case .echoRequest: 8
        case .timestampRequest: 13
        case .timestampReply: 14
        case .destinationUnreachable: 3
        case .timeExceeded: 11
        case .otherError(let type, _, _), .other(let type, _): type
        }
    }

    public var code: UInt8 {
        switch self {
        case .echoReply, .echoRequest, .timestampRequest, .timestampReply: 0
        case .destinationUnreachable(let code, _): code.rawValue
        case .timeExceeded(let code, _): code.rawValue
        case .otherError(_, let code, _), .other(_, let code): code
        }
    }

    /// The quoted datagram of any error message.
    public var quoted: QuotedDatagram? {
        switch self {
        case .destinationUnreachable(_, let quoted), .timeExceeded(_, let quoted),
            .otherError(_, _, let quoted):
            quoted
        case .echoReply, .echoRequest, .timestampRequest, .timestampReply, .other:
            nil
        }
    }

    // MARK: Serialize

    /// The message with a correct checksum. Fields the enum does not model (rest-of-header of
    /// `otherError` / `other`, the next-hop MTU) are written as zero.
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.append(type)
        result.append(code)
        result.appendBigEndian(UInt16(0))
        switch self {
        case .echoReply(let echo), .echoRequest(let echo), .timestampRequest(let echo), .timestampReply(let echo):
            result.appendBigEndian(echo.identifier)
            result.appendBigEndian(echo.sequence)
            result.append(contentsOf: echo.payload)
        case .destinationUnreachable(_, let quoted), .timeExceeded(_, let quoted),
            .otherError(_, _, let quoted):
            result.appendBigEndian(UInt32(0))
            quoted.serialize(into: &result)
        case .other:
            result.appendBigEndian(UInt32(0))
        }
        result.storeBigEndian(InternetChecksum.checksum(result), at: 2)
        return result
    }

    // MARK: Parse

    /// Parses a whole ICMP message (the IP payload). The checksum is not verified: the kernel drops
    /// a message with a bad one before a raw socket sees it (an `InternetChecksum` over the bytes,
    /// checked with `isValid`, verifies one).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(PacketError) -> ICMPv4Message {
        var reader = ByteReader(bytes, layer: .icmpv4)
        try reader.require(headerLength)
        let type = try reader.readUInt8()
        let code = try reader.readUInt8()
        _ = try reader.readUInt16()  // checksum
        switch type {
        case 0, 8:
            let echo = ICMPEcho(
                identifier: try reader.readUInt16(), sequence: try reader.readUInt16(),
                payload: Array(reader.readRest()))
            return type == 0 ? .echoReply(echo) : .echoRequest(echo)
        case 13, 14:
            let stamp = ICMPEcho(
                identifier: try reader.readUInt16(), sequence: try reader.readUInt16(),
                payload: Array(reader.readRest()))
            return type == 14 ? .timestampReply(stamp) : .timestampRequest(stamp)
        case 3, 4, 5, 11, 12:
            _ = try reader.readUInt32()  // unused / MTU / gateway / pointer
            let quoted = try QuotedDatagram.parse(reader.readRest())
            if type == 3, let known = UnreachableCode(rawValue: code) {
                return .destinationUnreachable(known, quoted)
            }
            if type == 11, let known = TimeExceededCode(rawValue: code) {
                return .timeExceeded(known, quoted)
            }
            return .otherError(type: type, code: code, quoted)
        default:
            return .other(type: type, code: code)
        }
    }

    public static func parse(_ bytes: [UInt8]) throws(PacketError) -> ICMPv4Message {
        try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(raw) }
    }
}
