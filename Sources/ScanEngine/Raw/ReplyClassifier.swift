import Packets
import PortgridCore

/// Packet in, verdict out: decides whether a received datagram answers one of our probes, and what
/// it says, with nmap's rules. Pure, so it is tested with packets built by the Packets builders.
///
/// The rules are written once, on family-neutral facts (which host, its cookie key, the reply's
/// TTL or hop limit, the transport header or the quoted one); `ReplyClassifier+IPv4` and
/// `+IPv6` only read those facts out of their packets.
struct ReplyClassifier: Sendable {
    enum Mode: Hashable, Sendable {
        case ports(Technique)
        case discovery
    }

    let mode: Mode
    let cookie: ProbeCookie
    /// Target address -> host index.
    let hosts: HostLookup<UInt32>
    /// IPv6 target address -> host index (after the IPv4 ones, as in `RawJob`).
    let ipv6Hosts: HostLookup<UInt128>
    /// The probed ports; a port's index in it is the work item.
    let ports: PortSet
    /// Discovery: the TCP probes each port was sent (`-PS`, `-PA`; SYN 443 and ACK 80 by default).
    let discoveryKinds: [UInt16: [ProbeKind]]
    /// Discovery: the ports UDP probes went to (`-PU`).
    let discoveryUDPPorts: Set<UInt16>
    /// Discovery: each probe's index among the ones a host is sent (its work item).
    private let discoveryItems: [DiscoveryProbes.Probe: Int]

    init(mode: Mode, cookie: ProbeCookie, hosts: [UInt32], ipv6Hosts: [UInt128] = [], ports: PortSet,
         discoveryProbes: [(kind: ProbeKind, port: UInt16)] = DiscoveryProbes.all) {
        self.mode = mode
        self.cookie = cookie
        discoveryKinds = DiscoveryProbes.tcpKinds(discoveryProbes)
        discoveryUDPPorts = DiscoveryProbes.udpPorts(discoveryProbes)
        discoveryItems = DiscoveryProbes.items(discoveryProbes)
        self.hosts = HostLookup(hosts)
        self.ipv6Hosts = HostLookup(ipv6Hosts, offset: hosts.count)
        self.ports = ports
    }

    /// Whole datagrams of either family, as the AF_PACKET sockets deliver them.
    func classify(datagram bytes: UnsafeRawBufferPointer) -> ReplyVerdict {
        guard let first = bytes.first else { return .ignored }
        switch first >> 4 {
        case 4:
            guard let packet = try? ParsedPacket.parse(ipv4Datagram: bytes) else { return .ignored }
            return classify(packet)
        case 6:
            guard let packet = try? ParsedIPv6Packet.parse(ipv6Packet: bytes) else { return .ignored }
            return classify(packet)
        default:
            return .ignored
        }
    }

    // MARK: TCP

    /// A TCP segment from host `host` (cookie key `key`).
    func classifyTCP(host: Int, key: UInt32, ttl: UInt8, _ tcp: TCPHeader) -> ReplyVerdict {
        let port = tcp.sourcePort
        switch mode {
        case .ports(let technique):
            guard let probe = ProbeKind(technique), case .tcp = probe, let item = ports.index(of: port),
                  let tryNumber = verifiedTry(key, port, probe, tcp) else { return .ignored }
            guard let (state, reason) = Self.tcpOutcome(probe, tcp.flags) else { return .ignored }
            return .port(PortAnswer(host: host, item: item, tryNumber: tryNumber, state: state, reason: reason,
                                    ttl: ttl, isICMPError: false))
        case .discovery:
            // A port may have been sent both a SYN and an ACK: the reply answers whichever it verifies.
            for probe in discoveryKinds[port] ?? [] {
                guard let tryNumber = verifiedTry(key, port, probe, tcp),
                      let (_, reason) = Self.tcpOutcome(probe, tcp.flags) else { continue }
                return .host(HostAnswer(host: host, item: discoveryItem(probe, port), tryNumber: tryNumber,
                                        reason: reason, ttl: ttl))
            }
            return .ignored
        }
    }

    /// The try a TCP reply answers: its destination port and its ack (or, for an ACK probe, its
    /// sequence number) must both carry the cookie of the same try.
    private func verifiedTry(_ key: UInt32, _ port: UInt16, _ probe: ProbeKind, _ tcp: TCPHeader) -> Int? {
        guard let byPort = cookie.tryNumber(host: key, port: port, proto: 6, sourcePort: tcp.destinationPort)
        else { return nil }
        let echoed: UInt32
        if probe.expectsSequenceEcho {
            echoed = tcp.sequenceNumber
        } else {
            // A reply without ACK echoes nothing of ours: the kernel's own RST to a SYN/ACK is one.
            guard tcp.flags.contains(.ack) else { return nil }
            echoed = tcp.acknowledgmentNumber &- probe.acknowledgmentOffset
        }
        // With a fixed source port (`-g`) the port says only "ours": the echoed sequence says which try.
        guard let bySequence = cookie.tryNumber(host: key, port: port, sequence: echoed),
              byPort == TryNumbers.unknown || bySequence == byPort % ProbeCookie.maxTries else { return nil }
        return bySequence
    }

    /// nmap's table: SYN/ACK to a SYN is open; a RST is closed, except to an ACK probe, where it
    /// only proves the port unfiltered. Anything else says nothing.
    static func tcpOutcome(_ probe: ProbeKind, _ flags: TCPFlags) -> (PortState, Reason)? {
        guard case .tcp(let sent) = probe else { return nil }
        if flags.contains(.rst) { return (sent == .ack ? .unfiltered : .closed, .reset) }
        if sent == .syn, flags.contains(.syn), flags.contains(.ack) { return (.open, .synAck) }
        return nil
    }

    // MARK: UDP

    /// A UDP datagram from host `host`; `isOwnProbe` says it is one of our probes looped back
    /// (scanning our own address, every probe also arrives as a received packet).
    func classifyUDP(host: Int, key: UInt32, ttl: UInt8, _ udp: UDPHeader, isOwnProbe: Bool) -> ReplyVerdict {
        if case .discovery = mode {
            // `-PU`: any datagram back from a probed port, to the probe's cookie port, proves the host up.
            guard !isOwnProbe, discoveryUDPPorts.contains(udp.sourcePort),
                  let tryNumber = cookie.tryNumber(host: key, port: udp.sourcePort, proto: 17,
                                                   sourcePort: udp.destinationPort) else { return .ignored }
            return .host(HostAnswer(host: host, item: discoveryItem(.udp, udp.sourcePort), tryNumber: tryNumber,
                                    reason: .udpResponse, ttl: ttl))
        }
        guard case .ports(.udp) = mode, !isOwnProbe, let item = ports.index(of: udp.sourcePort),
              let tryNumber = cookie.tryNumber(host: key, port: udp.sourcePort, proto: 17,
                                               sourcePort: udp.destinationPort) else { return .ignored }
        return .port(PortAnswer(host: host, item: item, tryNumber: tryNumber, state: .open, reason: .udpResponse,
                                ttl: ttl, isICMPError: false))
    }

    /// Our own probe carries our marker (IP ID or flow label) and a cookie source port for its
    /// destination, which a reply does not.
    func isOwnUDPProbe(destinationKey key: UInt32, _ udp: UDPHeader) -> Bool {
        cookie.tryNumber(host: key, port: udp.destinationPort, proto: 17, sourcePort: udp.sourcePort) != nil
    }

    // MARK: ICMP

    /// An echo reply, or (`timestamp`) a timestamp reply: both carry our identifier and the
    /// try's sequence number back.
    func classifyEchoReply(host: Int, key: UInt32, ttl: UInt8, _ echo: ICMPEcho, timestamp: Bool = false) -> ReplyVerdict {
        guard case .discovery = mode, echo.identifier == cookie.echoIdentifier,
              let tryNumber = cookie.tryNumber(host: key, echoSequence: echo.sequence) else { return .ignored }
        return .host(HostAnswer(host: host, item: discoveryItem(timestamp ? .icmpTimestamp : .icmpEcho, 0),
                                tryNumber: tryNumber, reason: timestamp ? .timestampReply : .echoReply, ttl: ttl))
    }

    /// A destination-unreachable error about a probe of ours, in either family's terms.
    struct Unreachable {
        /// The quoted probe's destination: its host index and cookie key.
        var target: Int
        var key: UInt32
        /// The error came from the target itself (not a router on the way).
        var fromTarget: Bool
        var ttl: UInt8
        /// The quoted probe's protocol and transport header start.
        var quoted: QuotedTransport
        /// The try the quoted IP ID or flow label carries (a fixed source port only, `ProbeCookie`).
        var markerTry: Int?
        /// The code is port unreachable (3 for ICMPv4, 4 for ICMPv6): closed, for UDP.
        var isPortUnreachable: Bool
        var reason: Reason
    }

    /// The caller has checked the code is one nmap acts on and the quote carries our marker.
    func classifyUnreachable(_ error: Unreachable) -> ReplyVerdict {
        let quoted = error.quoted
        switch mode {
        case .ports(let technique):
            guard let probe = ProbeKind(technique), quoted.protocol.rawValue == probe.ipProtocol,
                  let port = quoted.destinationPort, let item = ports.index(of: port),
                  let tryNumber = quotedTry(error.key, port, probe, quoted, markerTry: error.markerTry) else { return .ignored }
            let state: PortState = technique == .udp && error.isPortUnreachable && error.fromTarget ? .closed : .filtered
            return .port(PortAnswer(host: error.target, item: item, tryNumber: tryNumber, state: state,
                                    reason: error.reason, ttl: error.ttl, isICMPError: true))
        case .discovery:
            // Only the target itself answering proves it up; a router's error says nothing good.
            guard error.fromTarget else { return .ignored }
            let tryNumber: Int?
            var item = 0
            switch quoted.protocol {
            case .icmp, .icmpv6:
                tryNumber = quoted.icmpIdentifier == cookie.echoIdentifier
                    ? quoted.icmpSequence.flatMap { cookie.tryNumber(host: error.key, echoSequence: $0) } : nil
                // A timestamp request (type 13) shares the echo's identifier and sequence.
                item = discoveryItem(quoted.icmpType == 13 ? .icmpTimestamp : .icmpEcho, 0)
            case .tcp:
                let port = quoted.destinationPort ?? 0
                let verified = (discoveryKinds[port] ?? []).lazy.compactMap { probe in
                    self.quotedTry(error.key, port, probe, quoted, markerTry: error.markerTry).map { (probe, $0) }
                }.first
                tryNumber = verified?.1
                if let (probe, _) = verified { item = discoveryItem(probe, port) }
            case .udp:
                // `-PU`'s usual answer: the port is closed, and the host says so (port-unreach).
                tryNumber = quoted.destinationPort.flatMap { port in
                    discoveryUDPPorts.contains(port) ? quotedTry(error.key, port, .udp, quoted, markerTry: error.markerTry) : nil
                }
                item = discoveryItem(.udp, quoted.destinationPort ?? 0)
            default:
                tryNumber = nil
            }
            guard let tryNumber else { return .ignored }
            return .host(HostAnswer(host: error.target, item: item, tryNumber: tryNumber, reason: error.reason,
                                    ttl: error.ttl))
        }
    }

    /// The work item of a sweep's probe; 0 for one not sent (it then times nothing: its key
    /// matches no slot's, or the echo's, whose answer it stands beside).
    private func discoveryItem(_ kind: ProbeKind, _ port: UInt16) -> Int {
        discoveryItems[DiscoveryProbes.Probe(kind: kind, port: port)] ?? 0
    }

    /// The try a quoted probe was: its source port (with a fixed one, the marker's try), and for
    /// TCP its sequence number when quoted.
    private func quotedTry(_ key: UInt32, _ port: UInt16, _ probe: ProbeKind, _ quoted: QuotedTransport,
                           markerTry: Int?) -> Int? {
        guard let sourcePort = quoted.sourcePort,
              let byPort = cookie.tryNumber(host: key, port: port, proto: probe.ipProtocol, sourcePort: sourcePort)
        else { return nil }
        let tryNumber = byPort == TryNumbers.unknown ? markerTry ?? byPort : byPort
        if case .tcp = probe, let sequence = quoted.tcpSequence {
            guard let bySequence = cookie.tryNumber(host: key, port: port, sequence: sequence),
                  tryNumber == TryNumbers.unknown || bySequence == tryNumber % ProbeCookie.maxTries
            else { return nil }
            return bySequence
        }
        return tryNumber
    }
}
