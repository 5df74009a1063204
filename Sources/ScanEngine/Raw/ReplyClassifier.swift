import Packets
import PortgridCore

/// Packet in, verdict out: decides whether a received datagram answers one of our probes, and what
/// it says, with nmap's rules. Pure, so it is tested with packets built by the Packets builders.
struct ReplyClassifier: Sendable {
    enum Mode: Hashable, Sendable {
        case ports(Technique)
        case discovery
    }

    let mode: Mode
    let cookie: ProbeCookie
    /// Target address -> host index.
    let hosts: [UInt32: Int]
    /// The probed ports; a port's index in it is the work item.
    let ports: PortSet
    /// Discovery: the TCP probes each port was sent (`-PS`, `-PA`; SYN 443 and ACK 80 by default).
    let discoveryKinds: [UInt16: [ProbeKind]]

    init(mode: Mode, cookie: ProbeCookie, hosts: [UInt32], ports: PortSet,
         discoveryProbes: [(kind: ProbeKind, port: UInt16)] = DiscoveryProbes.all) {
        self.mode = mode
        self.cookie = cookie
        discoveryKinds = DiscoveryProbes.tcpKinds(discoveryProbes)
        var table = [UInt32: Int](minimumCapacity: hosts.count)
        for (index, host) in hosts.enumerated() where table[host] == nil { table[host] = index }
        self.hosts = table
        self.ports = ports
    }

    func classify(_ packet: ParsedPacket) -> ReplyVerdict {
        switch packet {
        case .tcp(let ip, let tcp): classifyTCP(ip, tcp)
        case .udp(let ip, let udp, _): classifyUDP(ip, udp)
        case .icmp(let ip, let message): classifyICMP(ip, message)
        case .other: .ignored
        }
    }

    func classify(datagram bytes: UnsafeRawBufferPointer) -> ReplyVerdict {
        guard let packet = try? ParsedPacket.parse(ipv4Datagram: bytes) else { return .ignored }
        return classify(packet)
    }

    // MARK: TCP

    private func classifyTCP(_ ip: IPv4Header, _ tcp: TCPHeader) -> ReplyVerdict {
        guard let host = hosts[ip.source] else { return .ignored }
        let port = tcp.sourcePort
        switch mode {
        case .ports(let technique):
            guard let probe = ProbeKind(technique), case .tcp = probe, let item = ports.index(of: port),
                  let tryNumber = verifiedTry(ip.source, port, probe, tcp) else { return .ignored }
            guard let (state, reason) = Self.tcpOutcome(probe, tcp.flags) else { return .ignored }
            return .port(PortAnswer(host: host, item: item, tryNumber: tryNumber, state: state, reason: reason,
                                    ttl: ip.ttl, isICMPError: false))
        case .discovery:
            // A port may have been sent both a SYN and an ACK: the reply answers whichever it verifies.
            for probe in discoveryKinds[port] ?? [] {
                guard let tryNumber = verifiedTry(ip.source, port, probe, tcp),
                      let (_, reason) = Self.tcpOutcome(probe, tcp.flags) else { continue }
                return .host(HostAnswer(host: host, tryNumber: tryNumber, reason: reason, ttl: ip.ttl))
            }
            return .ignored
        }
    }

    /// The try a TCP reply answers: its destination port and its ack (or, for an ACK probe, its
    /// sequence number) must both carry the cookie of the same try.
    private func verifiedTry(_ host: UInt32, _ port: UInt16, _ probe: ProbeKind, _ tcp: TCPHeader) -> Int? {
        guard let byPort = cookie.tryNumber(host: host, port: port, proto: 6, sourcePort: tcp.destinationPort)
        else { return nil }
        let echoed: UInt32
        if probe.expectsSequenceEcho {
            echoed = tcp.sequenceNumber
        } else {
            // A reply without ACK echoes nothing of ours: the kernel's own RST to a SYN/ACK is one.
            guard tcp.flags.contains(.ack) else { return nil }
            echoed = tcp.acknowledgmentNumber &- probe.acknowledgmentOffset
        }
        guard let bySequence = cookie.tryNumber(host: host, port: port, sequence: echoed),
              bySequence == byPort % ProbeCookie.maxTries else { return nil }
        return byPort
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

    private func classifyUDP(_ ip: IPv4Header, _ udp: UDPHeader) -> ReplyVerdict {
        guard case .ports(.udp) = mode, let host = hosts[ip.source], let item = ports.index(of: udp.sourcePort),
              let tryNumber = cookie.tryNumber(host: ip.source, port: udp.sourcePort, proto: 17,
                                               sourcePort: udp.destinationPort),
              !isOwnUDPProbe(ip, udp) else { return .ignored }
        return .port(PortAnswer(host: host, item: item, tryNumber: tryNumber, state: .open, reason: .udpResponse,
                                ttl: ip.ttl, isICMPError: false))
    }

    /// Scanning our own address, every probe we send also arrives as a received packet; it carries
    /// our IP ID and a cookie source port for its destination, which a reply does not.
    private func isOwnUDPProbe(_ ip: IPv4Header, _ udp: UDPHeader) -> Bool {
        guard ip.identification == cookie.ipIdentification, hosts[ip.destination] != nil else { return false }
        return cookie.tryNumber(host: ip.destination, port: udp.destinationPort, proto: 17,
                                sourcePort: udp.sourcePort) != nil
    }

    // MARK: ICMP

    private func classifyICMP(_ ip: IPv4Header, _ message: ICMPv4Message) -> ReplyVerdict {
        switch message {
        case .echoReply(let echo):
            guard case .discovery = mode, echo.identifier == cookie.echoIdentifier, let host = hosts[ip.source],
                  let tryNumber = cookie.tryNumber(host: ip.source, echoSequence: echo.sequence)
            else { return .ignored }
            return .host(HostAnswer(host: host, tryNumber: tryNumber, reason: .echoReply, ttl: ip.ttl))
        case .destinationUnreachable(let code, let quoted):
            return classifyUnreachable(ip, code.rawValue, quoted)
        default:
            return .ignored
        }
    }

    /// Codes nmap acts on: net (0), host (1), protocol (2), port (3) unreachable and the three
    /// administratively prohibited ones (9, 10, 13). Fragmentation-needed and the like are not
    /// about the port.
    static let decisiveUnreachableCodes: Set<UInt8> = [0, 1, 2, 3, 9, 10, 13]

    private func classifyUnreachable(_ ip: IPv4Header, _ code: UInt8, _ quoted: QuotedDatagram) -> ReplyVerdict {
        // The quote must be our probe: our IP ID and a cookie for its destination. This also keeps
        // out the errors our own kernel sends about replies arriving on our probe ports.
        let target = quoted.ip.destination
        guard Self.decisiveUnreachableCodes.contains(code), quoted.ip.identification == cookie.ipIdentification,
              let host = hosts[target] else { return .ignored }
        let fromTarget = ip.source == target
        switch mode {
        case .ports(let technique):
            guard let probe = ProbeKind(technique), quoted.ip.protocol.rawValue == probe.ipProtocol,
                  let port = quoted.destinationPort, let item = ports.index(of: port),
                  let tryNumber = quotedTry(target, port, probe, quoted) else { return .ignored }
            let state: PortState = technique == .udp && code == 3 && fromTarget ? .closed : .filtered
            return .port(PortAnswer(host: host, item: item, tryNumber: tryNumber, state: state,
                                    reason: Reason.unreachable(code: code), ttl: ip.ttl, isICMPError: true))
        case .discovery:
            // Only the target itself answering proves it up; a router's error says nothing good.
            guard fromTarget else { return .ignored }
            let tryNumber: Int?
            switch quoted.ip.protocol {
            case .icmp:
                tryNumber = quoted.transport.icmpIdentifier == cookie.echoIdentifier
                    ? quoted.transport.icmpSequence.flatMap { cookie.tryNumber(host: target, echoSequence: $0) } : nil
            case .tcp:
                tryNumber = quoted.destinationPort.flatMap { port in
                    (discoveryKinds[port] ?? []).lazy.compactMap { quotedTry(target, port, $0, quoted) }.first
                }
            default:
                tryNumber = nil
            }
            guard let tryNumber else { return .ignored }
            return .host(HostAnswer(host: host, tryNumber: tryNumber, reason: Reason.unreachable(code: code),
                                    ttl: ip.ttl))
        }
    }

    /// The try a quoted probe was: its source port, and for TCP its sequence number when quoted.
    private func quotedTry(_ host: UInt32, _ port: UInt16, _ probe: ProbeKind, _ quoted: QuotedDatagram) -> Int? {
        guard let sourcePort = quoted.sourcePort,
              let byPort = cookie.tryNumber(host: host, port: port, proto: probe.ipProtocol, sourcePort: sourcePort)
        else { return nil }
        if case .tcp = probe, let sequence = quoted.tcpSequence {
            guard cookie.tryNumber(host: host, port: port, sequence: sequence) == byPort % ProbeCookie.maxTries
            else { return nil }
        }
        return byPort
    }
}
