/// One decoded TCP option. Known kinds are decoded only when their length is the one the RFC
/// fixes (as Linux does); anything else is kept as `.unknown` so nothing is silently lost.
public enum TCPOption: Sendable, Hashable {
    case endOfList
    case noOperation
    /// Maximum segment size (kind 2, RFC 9293).
    case maximumSegmentSize(UInt16)
    /// Window scale shift count (kind 3, RFC 7323).
    case windowScale(UInt8)
    /// SACK permitted (kind 4, RFC 2018).
    case sackPermitted
    /// Timestamps (kind 8, RFC 7323).
    case timestamps(value: UInt32, echoReply: UInt32)
    case unknown(kind: UInt8, data: [UInt8])

    /// Appends the option's wire form.
    func encode(into bytes: inout [UInt8]) {
        switch self {
        case .endOfList:
            bytes.append(0)
        case .noOperation:
            bytes.append(1)
        case .maximumSegmentSize(let mss):
            bytes.append(2); bytes.append(4); bytes.appendBigEndian(mss)
        case .windowScale(let shift):
            bytes.append(3); bytes.append(3); bytes.append(shift)
        case .sackPermitted:
            bytes.append(4); bytes.append(2)
        case .timestamps(let value, let echoReply):
            bytes.append(8); bytes.append(10)
            bytes.appendBigEndian(value); bytes.appendBigEndian(echoReply)
        case .unknown(let kind, let data):
            bytes.append(kind)
            // A length that does not fit a byte is caught by the 40-byte check in TCPOptions.
            bytes.append(UInt8(truncatingIfNeeded: min(data.count + 2, 255)))
            bytes.append(contentsOf: data)
        }
    }
}
