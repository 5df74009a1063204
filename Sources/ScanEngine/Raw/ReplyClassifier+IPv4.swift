import Packets
import PortgridCore

/// Reading an IPv4 reply's facts for `ReplyClassifier`'s rules.
extension ReplyClassifier {
    func classify(_ packet: ParsedPacket) -> ReplyVerdict {
        switch packet {
        case .tcp(let ip, let tcp):
            guard let host = hosts[ip.source] else { return .ignored }
            return classifyTCP(host: host, key: ip.source, ttl: ip.ttl, tcp)
        case .udp(let ip, let udp, _):
            guard let host = hosts[ip.source] else { return .ignored }
            let isOwn = cookie.isMarker(ipIdentification: ip.identification) && hosts[ip.destination] != nil
                && isOwnUDPProbe(destinationKey: ip.destination, udp)
            return classifyUDP(host: host, key: ip.source, ttl: ip.ttl, udp, isOwnProbe: isOwn)
        case .icmp(let ip, .echoReply(let echo)):
            guard let host = hosts[ip.source] else { return .ignored }
            return classifyEchoReply(host: host, key: ip.source, ttl: ip.ttl, echo)
        case .icmp(let ip, .timestampReply(let stamp)):
            guard let host = hosts[ip.source] else { return .ignored }
            return classifyEchoReply(host: host, key: ip.source, ttl: ip.ttl, stamp, timestamp: true)
        case .icmp(let ip, .destinationUnreachable(let code, let quoted)):
            // The quote must be our probe: our IP ID and a cookie for its destination. This also keeps
            // out the errors our own kernel sends about replies arriving on our probe ports.
            let target = quoted.ip.destination
            guard Self.decisiveUnreachableCodes.contains(code.rawValue),
                  cookie.isMarker(ipIdentification: quoted.ip.identification), let host = hosts[target]
            else { return .ignored }
            return classifyUnreachable(Unreachable(
                target: host, key: target, fromTarget: ip.source == target, ttl: ip.ttl, quoted: quoted.transport,
                markerTry: cookie.tryNumber(ipIdentification: quoted.ip.identification),
                isPortUnreachable: code == .portUnreachable, reason: Reason.unreachable(code: code.rawValue)))
        case .icmp, .other:
            return .ignored
        }
    }

    /// Codes nmap acts on: net (0), host (1), protocol (2), port (3) unreachable and the three
    /// administratively prohibited ones (9, 10, 13). Fragmentation-needed and the like are not
    /// about the port.
    static let decisiveUnreachableCodes: Set<UInt8> = [0, 1, 2, 3, 9, 10, 13]
}
