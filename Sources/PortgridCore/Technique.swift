/// How ports are probed. Raw techniques need CAP_NET_RAW; connect needs nothing.
public enum Technique: String, Hashable, Comparable, Sendable, CaseIterable, CustomStringConvertible {
    case connect, syn, udp, fin, null, xmas, ack, ping

    public var transport: TransportProtocol { self == .udp ? .udp : .tcp }

    /// Whether the technique sends hand-made packets (and so needs a raw socket).
    public var needsRawSocket: Bool {
        switch self {
        case .connect: false
        case .ping: false // the unprivileged ICMP datagram socket can do it
        default: true
        }
    }

    /// Whether it probes ports at all (the ping sweep only finds hosts).
    public var scansPorts: Bool { self != .ping }

    /// The nmap flag people already know.
    public var flag: String {
        switch self {
        case .connect: "-sT"
        case .syn: "-sS"
        case .udp: "-sU"
        case .fin: "-sF"
        case .null: "-sN"
        case .xmas: "-sX"
        case .ack: "-sA"
        case .ping: "-sn"
        }
    }

    /// The name nmap's XML uses in `<scaninfo type=…>`.
    public var nmapScanType: String { self == .ping ? "ping" : rawValue }

    public var title: String {
        switch self {
        case .connect: "TCP connect"
        case .syn: "TCP SYN"
        case .udp: "UDP"
        case .fin: "TCP FIN"
        case .null: "TCP NULL"
        case .xmas: "TCP Xmas"
        case .ack: "TCP ACK"
        case .ping: "ping sweep"
        }
    }

    public var description: String { rawValue }

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
