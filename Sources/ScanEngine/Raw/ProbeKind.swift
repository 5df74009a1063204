import Packets
import PortgridCore

/// What a raw probe is on the wire, and how a reply proves it answers one.
enum ProbeKind: Hashable, Sendable {
    /// SYN, FIN, NULL, Xmas or ACK: the cookie rides in the sequence number (and in the ack
    /// number of an ACK probe, which a RST echoes as its own sequence number).
    case tcp(TCPFlags)
    case udp
    case icmpEcho
    /// `-PP`: ICMP timestamp request, IPv4 only; the cookie rides in identifier and sequence as the echo's.
    case icmpTimestamp

    init?(_ technique: Technique) {
        switch technique {
        case .syn: self = .tcp(.syn)
        case .fin: self = .tcp(.fin)
        case .null: self = .tcp([])
        case .xmas: self = .tcp(.xmas)
        case .ack: self = .tcp(.ack)
        case .udp: self = .udp
        case .ping: self = .icmpEcho
        case .connect: return nil
        }
    }

    var ipProtocol: UInt8 {
        switch self {
        case .tcp: 6
        case .udp: 17
        case .icmpEcho, .icmpTimestamp: 1
        }
    }

    /// How far a RST's ack number lies past our sequence number: SYN and FIN each take one
    /// sequence number (RFC 9293 §3.10.7.1: ack = SEG.SEQ + SEG.LEN).
    var acknowledgmentOffset: UInt32 {
        guard case .tcp(let flags) = self else { return 0 }
        return flags.contains(.syn) || flags.contains(.fin) ? 1 : 0
    }

    /// An ACK probe is answered by a bare RST whose sequence number is our ack number.
    var expectsSequenceEcho: Bool {
        guard case .tcp(let flags) = self else { return false }
        return flags == .ack
    }
}
