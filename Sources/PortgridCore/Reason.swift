/// Why a port or host got its state, in nmap's vocabulary (`--reason`).
public enum Reason: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case synAck = "syn-ack"
    case reset
    case noResponse = "no-response"
    case connRefused = "conn-refused"
    case portUnreach = "port-unreach"
    case hostUnreach = "host-unreach"
    case netUnreach = "net-unreach"
    case protoUnreach = "proto-unreach"
    case adminProhibited = "admin-prohibited"
    case hostProhibited = "host-prohibited"
    case netProhibited = "net-prohibited"
    case udpResponse = "udp-response"
    case echoReply = "echo-reply"
    case localhostResponse = "localhost-response"
    case userSet = "user-set"
    case timeExceeded = "time-exceeded"
    case unknownResponse = "unknown-response"
    case hostTimeout = "host-timeout"

    public var description: String { rawValue }

    /// The reason an ICMP destination-unreachable code gives, as nmap names them.
    public static func unreachable(code: UInt8) -> Reason {
        switch code {
        case 0, 6, 11: .netUnreach
        case 1, 7, 12: .hostUnreach
        case 2: .protoUnreach
        case 3: .portUnreach
        case 9: .netProhibited
        case 10: .hostProhibited
        case 13: .adminProhibited
        default: .hostUnreach
        }
    }
}
