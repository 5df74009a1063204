import Packets
import PortgridCore
import Testing
@testable import ScanEngine

/// The classifier on IPv6 packets: the same rules as over IPv4 (one home for them), read from
/// IPv6 headers, with ICMPv6 codes mapped as nmap maps them.
@Suite struct RawReplyClassifierIPv6Tests {
    static let scanner: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0001
    static let target: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0002
    static let router: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_00FE
    let cookie = ProbeCookie(seed: 5, ports: SourcePortRange(lowerBound: 61000, count: 4536))
    let ports = PortSet(ports: [22, 53, 80, 443, 8080])
    var builder: RawProbeBuilder { RawProbeBuilder(cookie: cookie) }

    func classifier(_ technique: Technique, v4: [UInt32] = []) -> ReplyClassifier {
        ReplyClassifier(mode: .ports(technique), cookie: cookie, hosts: v4, ipv6Hosts: [Self.target], ports: ports)
    }

    func probe(_ technique: Technique, port: UInt16, tryNumber: Int = 0) -> [UInt8] {
        builder.packetIPv6(ProbeKind(technique)!, source: Self.scanner, destination: Self.target, port: port,
                           tryNumber: tryNumber)
    }

    static func parse(_ bytes: [UInt8]) -> ParsedIPv6Packet { try! ParsedIPv6Packet.parse(ipv6Packet: bytes) }

    static func reply(to probe: [UInt8], flags: TCPFlags) -> [UInt8] {
        guard case .tcp(let ip, let tcp) = parse(probe) else { fatalError("not TCP") }
        if tcp.flags.contains(.ack) {
            return PacketBuilder.tcpProbe6(src: ip.destination, dst: ip.source, srcPort: tcp.destinationPort,
                                           dstPort: tcp.sourcePort, seq: tcp.acknowledgmentNumber, flags: .rst,
                                           hopLimit: 63)
        }
        let length: UInt32 = (tcp.flags.contains(.syn) ? 1 : 0) + (tcp.flags.contains(.fin) ? 1 : 0)
        return PacketBuilder.tcpProbe6(src: ip.destination, dst: ip.source, srcPort: tcp.destinationPort,
                                       dstPort: tcp.sourcePort, seq: 0x1234, ack: tcp.sequenceNumber &+ length,
                                       flags: flags, hopLimit: 63)
    }

    static func unreachable(_ code: UInt8, to probe: [UInt8], from sender: UInt128? = nil) -> [UInt8] {
        let header = try! IPv6Header.parse(probe)
        let quoted = QuotedIPv6Datagram(ip: header, transport: QuotedTransport(protocol: header.nextHeader,
                                                                               bytes: probe[40...]))
        let source = sender ?? header.destination
        let message = ICMPv6Message.destinationUnreachable(ICMPv6UnreachableCode(rawValue: code)!, quoted)
            .bytes(source: source, destination: header.source)
        let ip = IPv6Header(payloadLength: UInt16(message.count), nextHeader: .icmpv6, hopLimit: 62, source: source,
                            destination: header.source)
        return ip.bytes + message
    }

    func verdict(_ classifier: ReplyClassifier, _ bytes: [UInt8]) -> ReplyVerdict {
        bytes.withUnsafeBytes { classifier.classify(datagram: $0) }
    }

    func answer(_ technique: Technique, _ bytes: [UInt8]) -> PortAnswer? {
        if case .port(let answer) = verdict(classifier(technique), bytes) { return answer }
        return nil
    }

    @Test("an IPv6 SYN/ACK is open and a reset closed, with the hop limit as the reply's TTL")
    func synStates() {
        let syn = probe(.syn, port: 80, tryNumber: 2)
        let open = answer(.syn, Self.reply(to: syn, flags: .synAck))
        #expect(open?.state == .open && open?.reason == .synAck && open?.tryNumber == 2 && open?.ttl == 63)
        let closed = answer(.syn, Self.reply(to: syn, flags: [.rst, .ack]))
        #expect(closed?.state == .closed && closed?.reason == .reset)
    }

    @Test("IPv6 hosts follow the IPv4 ones in the index space")
    func hostIndicesFollowIPv4() {
        let mixed = classifier(.syn, v4: [0xC612_0002, 0xC612_0003])
        guard case .port(let open) = verdict(mixed, Self.reply(to: probe(.syn, port: 22), flags: .synAck)) else {
            Issue.record("no answer")
            return
        }
        #expect(open.host == 2)
    }

    @Test("FIN, NULL and Xmas see resets as closed, ACK as unfiltered", arguments: [Technique.fin, .null, .xmas, .ack])
    func stealthAndAck(technique: Technique) {
        let reset = answer(technique, Self.reply(to: probe(technique, port: 443), flags: [.rst, .ack]))
        #expect(reset?.state == (technique == .ack ? .unfiltered : .closed) && reset?.reason == .reset)
    }

    @Test("ICMPv6 unreachable codes give nmap's reasons, filtered for TCP",
          arguments: [(UInt8(0), Reason.noRoute), (1, .adminProhibited), (2, .beyondScope), (3, .hostUnreach),
                      (4, .portUnreach), (5, .failedPolicy), (6, .rejectRoute)])
    func icmpv6Codes(code: UInt8, reason: Reason) {
        for technique in [Technique.syn, .fin, .ack] {
            let filtered = answer(technique, Self.unreachable(code, to: probe(technique, port: 8080)))
            #expect(filtered?.state == .filtered && filtered?.reason == reason && filtered?.isICMPError == true)
        }
        #expect(verdict(classifier(.syn), Self.unreachable(7, to: probe(.syn, port: 8080))) == .ignored)
    }

    @Test("UDP over IPv6: a reply is open, port unreachable from the target closed, from a router filtered")
    func udpStates() {
        let udp = probe(.udp, port: 53)
        guard case .udp(let ip, let header, _) = Self.parse(udp) else { Issue.record("not UDP"); return }
        let reply = PacketBuilder.udpProbe6(src: ip.destination, dst: ip.source, srcPort: 53,
                                            dstPort: header.sourcePort, payload: [1, 2, 3])
        #expect(answer(.udp, reply)?.state == .open)
        let closed = answer(.udp, Self.unreachable(4, to: udp))
        #expect(closed?.state == .closed && closed?.reason == .portUnreach)
        let routed = answer(.udp, Self.unreachable(4, to: udp, from: Self.router))
        #expect(routed?.state == .filtered)
        let prohibited = answer(.udp, Self.unreachable(1, to: udp))
        #expect(prohibited?.state == .filtered && prohibited?.reason == .adminProhibited)
    }

    @Test("an error quoting a packet without our flow label, and our own UDP probe looped back, are ignored")
    func foreignQuotesAndOwnProbes() {
        let udp = probe(.udp, port: 53)
        var foreign = udp
        foreign[3] ^= 0x10  // another flow label
        #expect(verdict(classifier(.udp), Self.unreachable(4, to: foreign)) == .ignored)
        let loopback: UInt128 = 1
        let selfScan = ReplyClassifier(mode: .ports(.udp), cookie: cookie, hosts: [], ipv6Hosts: [loopback], ports: .all)
        var falseOpens = 0
        for port in UInt16(61000)...UInt16(65535) {
            let own = builder.packetIPv6(.udp, source: loopback, destination: loopback, port: port, tryNumber: 0)
            if case .port = verdict(selfScan, own) { falseOpens += 1 }
        }
        #expect(falseOpens == 0)
    }

    @Test("discovery over IPv6 counts echo replies and a neighbour advertisement for the target")
    func discovery() {
        let sweep = ReplyClassifier(mode: .discovery, cookie: cookie, hosts: [], ipv6Hosts: [Self.target],
                                    ports: PortSet())
        let echo = builder.packetIPv6(.icmpEcho, source: Self.scanner, destination: Self.target, port: 0, tryNumber: 1)
        guard case .icmp(let ip, .echoRequest(let request)) = Self.parse(echo) else { Issue.record("no echo"); return }
        let message = ICMPv6Message.echoReply(request).bytes(source: ip.destination, destination: ip.source)
        let reply = IPv6Header(payloadLength: UInt16(message.count), nextHeader: .icmpv6, hopLimit: 64,
                               source: ip.destination, destination: ip.source).bytes + message
        #expect(verdict(sweep, reply) == .host(HostAnswer(host: 0, tryNumber: 1, reason: .echoReply, ttl: 64)))
        let advert = ICMPv6Message.neighborAdvertisement(target: Self.target)
            .bytes(source: Self.target, destination: Self.scanner)
        let na = IPv6Header(payloadLength: UInt16(advert.count), nextHeader: .icmpv6, hopLimit: 255,
                            source: Self.target, destination: Self.scanner).bytes + advert
        guard case .host(let byNeighbor) = verdict(sweep, na) else { Issue.record("no host"); return }
        #expect(byNeighbor.reason == .ndResponse)
        // A port scan has no use for either.
        #expect(verdict(classifier(.syn), na) == .ignored)
    }
}
