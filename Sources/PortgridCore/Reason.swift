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
    // ICMPv6 destination-unreachable codes (RFC 4443), named as nmap names them.
    case noRoute = "no-route"
    case beyondScope = "beyond-scope"
    case failedPolicy = "failed-policy"
    case rejectRoute = "reject-route"
    /// A neighbour advertisement answering our solicitation (IPv6's ARP ping).
    case ndResponse = "nd-response"
    /// An ICMP timestamp reply (`-PP`).
    case timestampReply = "timestamp-reply"

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

    /// The reason an ICMPv6 destination-unreachable code gives, as nmap names them (code 3,
    /// address unreachable, is nmap's "host-unreach").
    public static func unreachableV6(code: UInt8) -> Reason {
        switch code {
        case 0: .noRoute
        case 1: .adminProhibited
        case 2: .beyondScope
        case 4: .portUnreach
        case 5: .failedPolicy
        case 6: .rejectRoute
        default: .hostUnreach
        }
    }
}
