import Packets
import PortgridCore

/// `--packet-trace` lines in nmap's words (its low-detail `ippackethdrinfo`), so a person who
/// reads nmap's traces reads ours:
///
///     SENT (0.0123s) TCP 198.18.0.1:54321 > 198.18.0.2:80 S ttl=64 id=4242 iplen=44  seq=991542220 win=1024 <mss 1460>
///     RCVD (0.0125s) ICMP [198.18.0.2 > 198.18.0.1 Port 40125 unreachable (type=3/code=3) ] IP [ttl=64 id=4500 iplen=56 ]
///     CONN (0.0130s) TCP localhost > 198.18.0.2:80 => Connection refused
///
/// Pure: bytes and times in, text out.
enum PacketTraceText {
    enum Direction: String, Sendable {
        case sent = "SENT"
        case received = "RCVD"
    }

    /// `(0.0123s)`: seconds since the scan started, four decimals as nmap's.
    static func stamp(_ elapsed: Duration) -> String {
        let tenths = Int64((elapsed.inSeconds * 10_000).rounded())
        let whole = tenths / 10_000, fraction = tenths % 10_000
        let digits = String(fraction)
        return "(\(whole).\(String(repeating: "0", count: 4 - digits.count))\(digits)s)"
    }

    /// A whole IPv4 or IPv6 packet; nil for bytes that are neither.
    static func line(_ direction: Direction, _ elapsed: Duration, packet: UnsafeRawBufferPointer) -> String? {
        guard let first = packet.first else { return nil }
        let body: String?
        switch first >> 4 {
        case 4: body = (try? ParsedPacket.parse(ipv4Datagram: packet)).map(describe)
        case 6: body = (try? ParsedIPv6Packet.parse(ipv6Packet: packet)).map(describe)
        default: body = nil
        }
        return body.map { "\(direction.rawValue) \(stamp(elapsed)) \($0)" }
    }

    static func line(_ direction: Direction, _ elapsed: Duration, packet: [UInt8]) -> String? {
        packet.withUnsafeBytes { line(direction, elapsed, packet: $0) }
    }

    /// A connect and what the kernel said: `CONN (0.0411s) TCP localhost > 127.0.0.1:22 => Connection refused`.
    static func connect(_ elapsed: Duration, host: IPAddress, port: UInt16, outcome: String) -> String {
        let target = host.isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "CONN \(stamp(elapsed)) TCP localhost > \(target) => \(outcome)"
    }

    // MARK: IPv4

    static func describe(_ packet: ParsedPacket) -> String {
        let ip = packet.ip
        let info = "ttl=\(ip.ttl) id=\(ip.identification) iplen=\(ip.totalLength) "
        let source = IPv4Address(ip.source).description, destination = IPv4Address(ip.destination).description
        switch packet {
        case .tcp(_, let tcp):
            return "TCP \(source):\(tcp.sourcePort) > \(destination):\(tcp.destinationPort) \(flags(tcp.flags)) "
                + "\(info) \(tcpDetail(tcp))"
        case .udp(_, let udp, _):
            return "UDP \(source):\(udp.sourcePort) > \(destination):\(udp.destinationPort) \(info)"
        case .icmp(_, let message):
            return "ICMP [\(source) > \(destination) \(icmp(message))] IP [\(info)]"
        case .other:
            return "Unknown protocol (\(ip.protocol.rawValue)) \(source) > \(destination): \(info)"
        }
    }

    private static func icmp(_ message: ICMPv4Message) -> String {
        let kind = "(type=\(message.type)/code=\(message.code))"
        switch message {
        case .echoRequest(let echo): return "Echo request \(kind) id=\(echo.identifier) seq=\(echo.sequence)"
        case .echoReply(let echo): return "Echo reply \(kind) id=\(echo.identifier) seq=\(echo.sequence)"
        case .timestampRequest(let stamp), .timestampReply(let stamp):
            let name = message.type == 13 ? "Timestamp request" : "Timestamp reply"
            let words = stride(from: 0, to: 12, by: 4).map { offset -> UInt32 in
                guard stamp.payload.count >= offset + 4 else { return 0 }
                return stamp.payload[offset ..< offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
            }
            return "\(name) \(kind) id=\(stamp.identifier) seq=\(stamp.sequence) orig=\(words[0]) recv=\(words[1]) trans=\(words[2])"
        case .destinationUnreachable(let code, let quoted):
            if code.rawValue == 3, let port = quoted.transport.destinationPort { return "Port \(port) unreachable \(kind) " }
            return "Destination unreachable \(kind) "
        case .timeExceeded: return "TTL=0 during transit \(kind) "
        case .otherError, .other: return "ICMP \(kind) "
        }
    }

    // MARK: IPv6

    static func describe(_ packet: ParsedIPv6Packet) -> String {
        let ip = packet.ip
        let info = "hopl=\(ip.hopLimit) flow=\(String(ip.flowLabel, radix: 16)) payloadlen=\(ip.payloadLength) "
        let source = IPv6Address(ip.source).description, destination = IPv6Address(ip.destination).description
        switch packet {
        case .tcp(_, let tcp):
            return "TCP [\(source)]:\(tcp.sourcePort) > [\(destination)]:\(tcp.destinationPort) \(flags(tcp.flags)) "
                + "\(info) \(tcpDetail(tcp))"
        case .udp(_, let udp, _):
            return "UDP [\(source)]:\(udp.sourcePort) > [\(destination)]:\(udp.destinationPort) \(info)"
        case .icmp(_, let message):
            return "ICMPv6 (\(ip.nextHeader.rawValue)) \(source) > \(destination) (type=\(message.type)/code=\(message.code)) \(info)"
        case .other:
            return "Unknown protocol (\(ip.nextHeader.rawValue)) \(source) > \(destination): \(info)"
        }
    }

    // MARK: TCP

    /// nmap's flag letters, in its order.
    static func flags(_ flags: TCPFlags) -> String {
        let letters: [(TCPFlags, Character)] = [(.syn, "S"), (.fin, "F"), (.rst, "R"), (.psh, "P"), (.ack, "A"),
                                                (.urg, "U"), (.ece, "E"), (.cwr, "C")]
        return String(letters.filter { flags.contains($0.0) }.map(\.1))
    }

    private static func tcpDetail(_ tcp: TCPHeader) -> String {
        var text = "seq=\(tcp.sequenceNumber) win=\(tcp.window) "
        if let mss = tcp.options.maximumSegmentSize { text += "<mss \(mss)>" }
        return text
    }
}
