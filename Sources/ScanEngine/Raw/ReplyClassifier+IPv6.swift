import Packets
import PortgridCore

/// Reading an IPv6 reply's facts for `ReplyClassifier`'s rules. Extension headers, in the reply
/// and in an error's quote, are skipped by the parser; the hop limit stands for the TTL, the flow
/// label for the IP ID marker, and `ProbeCookie.hostKey` keys the cookie.
extension ReplyClassifier {
    func classify(_ packet: ParsedIPv6Packet) -> ReplyVerdict {
        switch packet {
        case .tcp(let ip, let tcp):
            guard let host = ipv6Hosts[ip.source] else { return .ignored }
            return classifyTCP(host: host, key: ProbeCookie.hostKey(ip.source), ttl: ip.hopLimit, tcp)
        case .udp(let ip, let udp, _):
            guard let host = ipv6Hosts[ip.source] else { return .ignored }
            let isOwn = cookie.isMarker(flowLabel: ip.flowLabel) && ipv6Hosts[ip.destination] != nil
                && isOwnUDPProbe(destinationKey: ProbeCookie.hostKey(ip.destination), udp)
            return classifyUDP(host: host, key: ProbeCookie.hostKey(ip.source), ttl: ip.hopLimit, udp, isOwnProbe: isOwn)
        case .icmp(let ip, .echoReply(let echo)):
            guard let host = ipv6Hosts[ip.source] else { return .ignored }
            return classifyEchoReply(host: host, key: ProbeCookie.hostKey(ip.source), ttl: ip.hopLimit, echo)
        case .icmp(let ip, .neighborAdvertisement(let target)):
            // Proof of life on the link: the target speaks for its address (`NeighborSolicitationSweep`).
            // It answers the host's first probe, whose send made the kernel ask (item 0).
            guard case .discovery = mode, let host = ipv6Hosts[target] else { return .ignored }
            return .host(HostAnswer(host: host, tryNumber: 0, reason: .ndResponse, ttl: ip.hopLimit))
        case .icmp(let ip, .destinationUnreachable(let code, let quoted)):
            let target = quoted.ip.destination
            guard Self.decisiveUnreachableCodesV6.contains(code.rawValue), cookie.isMarker(flowLabel: quoted.ip.flowLabel),
                  let host = ipv6Hosts[target] else { return .ignored }
            return classifyUnreachable(Unreachable(
                target: host, key: ProbeCookie.hostKey(target), fromTarget: ip.source == target, ttl: ip.hopLimit,
                quoted: quoted.transport, markerTry: cookie.tryNumber(flowLabel: quoted.ip.flowLabel),
                isPortUnreachable: code == .portUnreachable,
                reason: Reason.unreachableV6(code: code.rawValue)))
        case .icmp, .other:
            return .ignored
        }
    }

    /// ICMPv6 codes nmap acts on (RFC 4443): no route (0), administratively prohibited (1),
    /// beyond scope (2), address unreachable (3), port unreachable (4), failed ingress/egress
    /// policy (5), reject route (6). All but a UDP probe's port unreachable from the target mean
    /// filtered. (Code 7, a source routing header error, is not about the port.)
    static let decisiveUnreachableCodesV6: Set<UInt8> = [0, 1, 2, 3, 4, 5, 6]
}
