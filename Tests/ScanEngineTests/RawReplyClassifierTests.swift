import Packets
import PortgridCore
import Testing
@testable import ScanEngine

/// Packet bytes in, verdict out: every reply is built from the probe with the Packets builders.
@Suite struct RawReplyClassifierTests {
    typealias F = RawReplyFactory
    let cookie = ProbeCookie(seed: 5, ports: SourcePortRange(lowerBound: 61000, count: 4536))
    let ports = PortSet(ports: [22, 53, 80, 443, 8080])
    var builder: RawProbeBuilder { RawProbeBuilder(cookie: cookie) }

    func classifier(_ technique: Technique) -> ReplyClassifier {
        ReplyClassifier(mode: .ports(technique), cookie: cookie, hosts: [F.target], ports: ports)
    }

    func probe(_ technique: Technique, port: UInt16, tryNumber: Int = 0, to host: UInt32 = F.target) -> [UInt8] {
        builder.packet(ProbeKind(technique)!, source: F.scanner, destination: host, port: port, tryNumber: tryNumber)
    }

    func portVerdict(_ technique: Technique, _ reply: [UInt8]) -> PortAnswer? {
        if case .port(let answer) = F.classify(classifier(technique), reply) { return answer }
        return nil
    }

    @Test func synScanStates() {
        let syn = probe(.syn, port: 80, tryNumber: 2)
        let open = portVerdict(.syn, F.synAck(to: syn))
        #expect(open?.state == .open && open?.reason == .synAck && open?.item == 2 && open?.tryNumber == 2)
        let closed = portVerdict(.syn, F.reset(to: syn))
        #expect(closed?.state == .closed && closed?.reason == .reset && closed?.isICMPError == false)
        #expect(open?.ttl == 64)
    }

    @Test(arguments: [Technique.fin, .null, .xmas])
    func stealthScansSeeResetsAsClosed(technique: Technique) {
        let reply = F.reset(to: probe(technique, port: 22))
        let answer = portVerdict(technique, reply)
        #expect(answer?.state == .closed && answer?.reason == .reset)
        // A SYN/ACK is no answer to a FIN, NULL or Xmas probe.
        #expect(F.classify(classifier(technique), F.synAck(to: probe(technique, port: 22))) == .ignored)
    }

    @Test func ackScanResetsMeanUnfiltered() {
        let reply = F.reset(to: probe(.ack, port: 443, tryNumber: 1))
        let answer = portVerdict(.ack, reply)
        #expect(answer?.state == .unfiltered && answer?.reason == .reset && answer?.tryNumber == 1)
    }

    @Test(arguments: [UInt8(1), 2, 3, 9, 10, 13])
    func icmpUnreachableFiltersTCPPorts(code: UInt8) {
        for technique in [Technique.syn, .fin, .ack] {
            let answer = portVerdict(technique, F.unreachable(code, to: probe(technique, port: 8080)))
            #expect(answer?.state == .filtered)
            #expect(answer?.reason == Reason.unreachable(code: code))
            #expect(answer?.isICMPError == true)
        }
    }

    @Test func icmpCodesThatSayNothingAboutThePortAreIgnored() {
        let syn = probe(.syn, port: 80)
        #expect(F.classify(classifier(.syn), F.unreachable(4, to: syn)) == .ignored)
        #expect(F.classify(classifier(.syn), F.unreachable(5, to: syn)) == .ignored)
    }

    @Test func udpStates() {
        let udp = probe(.udp, port: 53)
        let open = portVerdict(.udp, F.udpReply(to: udp))
        #expect(open?.state == .open && open?.reason == .udpResponse)
        let closed = portVerdict(.udp, F.unreachable(3, to: udp))
        #expect(closed?.state == .closed && closed?.reason == .portUnreach)
        // Port unreachable from a router, not the target: filtered, as nmap says.
        let routed = portVerdict(.udp, F.unreachable(3, to: udp, from: F.router))
        #expect(routed?.state == .filtered && routed?.reason == .portUnreach)
        let prohibited = portVerdict(.udp, F.unreachable(13, to: udp, from: F.router))
        #expect(prohibited?.state == .filtered && prohibited?.reason == .adminProhibited)
    }

    @Test func udpPayloadsGoToWellKnownPorts() {
        guard case .udp(_, _, let payload) = F.parse(probe(.udp, port: 53)) else { Issue.record("not UDP"); return }
        #expect(payload == UDPPayloads.payload(forPort: 53))
        #expect(!payload.isEmpty)
        guard case .udp(_, _, let empty) = F.parse(probe(.udp, port: 8080)) else { Issue.record("not UDP"); return }
        #expect(empty.isEmpty)
    }

    @Test func repliesWithoutOurCookieAreIgnored() {
        let syn = probe(.syn, port: 80)
        guard case .tcp(let ip, let tcp) = F.parse(syn) else { Issue.record("not TCP"); return }
        // Right ports, wrong ack (someone else's connection to the same port).
        let stranger = PacketBuilder.tcpProbe(src: ip.destination, dst: ip.source, srcPort: 80, dstPort: tcp.sourcePort,
                                              seq: 1, ack: tcp.sequenceNumber &+ 77, flags: .synAck)
        #expect(F.classify(classifier(.syn), stranger) == .ignored)
        // Right ack, wrong destination port.
        let wrongPort = PacketBuilder.tcpProbe(src: ip.destination, dst: ip.source, srcPort: 80,
                                               dstPort: tcp.sourcePort &+ 1, seq: 1, ack: tcp.sequenceNumber &+ 1,
                                               flags: .synAck)
        #expect(F.classify(classifier(.syn), wrongPort) == .ignored)
        // A host we did not scan, a port we did not probe.
        let elsewhere = ReplyClassifier(mode: .ports(.syn), cookie: cookie, hosts: [F.router], ports: ports)
        #expect(F.classify(elsewhere, F.synAck(to: syn)) == .ignored)
        let fewer = ReplyClassifier(mode: .ports(.syn), cookie: cookie, hosts: [F.target], ports: PortSet(ports: [22]))
        #expect(F.classify(fewer, F.synAck(to: syn)) == .ignored)
    }

    @Test func theKernelsOwnResetToASynAckIsNotAReply() {
        // Our kernel answers the target's SYN/ACK with a bare RST from our probe port to the
        // target's port, seq = our ISN + 1. Scanning our own address, it arrives as received.
        let syn = probe(.syn, port: 80)
        guard case .tcp(let ip, let tcp) = F.parse(syn) else { Issue.record("not TCP"); return }
        let kernelReset = PacketBuilder.tcpProbe(src: ip.source, dst: ip.destination, srcPort: tcp.sourcePort,
                                                 dstPort: 80, seq: tcp.sequenceNumber &+ 1, flags: .rst)
        let selfScan = ReplyClassifier(mode: .ports(.syn), cookie: cookie, hosts: [F.scanner, F.target], ports: .all)
        #expect(F.classify(selfScan, kernelReset) == .ignored)
    }

    @Test func ourOwnUDPProbeSeenOnLoopbackIsNotAReply() {
        // Scanning 127.0.0.1 -p-, a probe to a port inside our source block comes back in as a
        // received packet from "port" (our source port) to "our port" (the probed one).
        let loopback: UInt32 = 0x7F00_0001
        let selfScan = ReplyClassifier(mode: .ports(.udp), cookie: cookie, hosts: [loopback], ports: .all)
        var falseOpens = 0
        for port in UInt16(61000)...UInt16(65535) {
            let own = builder.packet(.udp, source: loopback, destination: loopback, port: port, tryNumber: 0)
            if case .port = F.classify(selfScan, own) { falseOpens += 1 }
        }
        #expect(falseOpens == 0)
    }

    @Test func errorsQuotingSomethingElseAreIgnored() {
        // The quoted header lacks our IP ID: our own kernel's error about a reply to our probe
        // port, or anyone else's datagram.
        let foreign = PacketBuilder.udpProbe(src: F.scanner, dst: F.target,
                                             srcPort: cookie.sourcePort(host: F.target, port: 53, proto: 17, tryNumber: 0),
                                             dstPort: 53, ipID: 0x1111)
        #expect(F.classify(classifier(.udp), F.unreachable(3, to: foreign)) == .ignored)
        // A TCP quote whose sequence number is not our cookie.
        let syn = probe(.syn, port: 80)
        var tampered = syn
        tampered[24] ^= 0xFF
        #expect(F.classify(classifier(.syn), F.unreachable(13, to: tampered)) == .ignored)
        // An error quoting a UDP probe means nothing to a TCP scan.
        #expect(F.classify(classifier(.syn), F.unreachable(3, to: probe(.udp, port: 53))) == .ignored)
    }

    @Test func garbageNeverTraps() {
        let classifier = classifier(.syn)
        var generator = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = F.classify(classifier, bytes)
        }
    }

    // MARK: Discovery

    func discovery(_ hosts: [UInt32] = [F.target]) -> ReplyClassifier {
        ReplyClassifier(mode: .discovery, cookie: cookie, hosts: hosts, ports: PortSet())
    }

    @Test func discoveryCountsEchoRepliesAndAnyTCPAnswer() {
        let echo = builder.packet(.icmpEcho, source: F.scanner, destination: F.target, port: 0, tryNumber: 1)
        #expect(F.classify(discovery(), F.echoReply(to: echo))
                == .host(HostAnswer(host: 0, tryNumber: 1, reason: .echoReply, ttl: 63)))
        let syn = builder.packet(.tcp(.syn), source: F.scanner, destination: F.target, port: 443, tryNumber: 0)
        guard case .host(let bySynAck) = F.classify(discovery(), F.synAck(to: syn)) else { Issue.record("no host"); return }
        #expect(bySynAck.reason == .synAck)
        guard case .host(let byReset) = F.classify(discovery(), F.reset(to: syn)) else { Issue.record("no host"); return }
        #expect(byReset.reason == .reset)
        let ack = builder.packet(.tcp(.ack), source: F.scanner, destination: F.target, port: 80, tryNumber: 0)
        guard case .host(let byAck) = F.classify(discovery(), F.reset(to: ack)) else { Issue.record("no host"); return }
        #expect(byAck.reason == .reset)
        // Each answer names the probe it answers (its item: echo, SYN 443, ACK 80), which times it.
        #expect([bySynAck.item, byReset.item, byAck.item] == [1, 1, 2])
        guard case .host(let byError) = F.classify(discovery(), F.unreachable(3, to: ack)) else { Issue.record("no host"); return }
        #expect(byError.item == 2)
    }

    @Test("-PS22: a SYN/ACK from port 22 proves the host up; from 443, which was not probed, nothing")
    func discoveryReadsTheChosenPorts() {
        let probes = DiscoveryProbes.packets(for: DiscoveryProbeSet(synPorts: [22]))
        let chosen = ReplyClassifier(mode: .discovery, cookie: cookie, hosts: [F.target], ports: PortSet(),
                                     discoveryProbes: probes)
        let syn22 = builder.packet(.tcp(.syn), source: F.scanner, destination: F.target, port: 22, tryNumber: 0)
        guard case .host(let answer) = F.classify(chosen, F.synAck(to: syn22)) else { Issue.record("no host"); return }
        #expect(answer.reason == .synAck)
        #expect(F.classify(discovery(), F.synAck(to: syn22)) == .ignored, "the default set never probed 22")
        let syn443 = builder.packet(.tcp(.syn), source: F.scanner, destination: F.target, port: 443, tryNumber: 0)
        #expect(F.classify(chosen, F.synAck(to: syn443)) == .ignored)
    }

    @Test func discoveryTakesErrorsOnlyFromTheTargetItself() {
        let syn = builder.packet(.tcp(.syn), source: F.scanner, destination: F.target, port: 443, tryNumber: 0)
        guard case .host(let answer) = F.classify(discovery(), F.unreachable(3, to: syn)) else { Issue.record("no host"); return }
        #expect(answer.reason == .portUnreach)
        #expect(F.classify(discovery(), F.unreachable(1, to: syn, from: F.router)) == .ignored)
    }

    @Test func echoRepliesForOthersAreIgnored() {
        let echo = builder.packet(.icmpEcho, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
        let otherScan = RawProbeBuilder(cookie: ProbeCookie(seed: 6, ports: cookie.ports))
            .packet(.icmpEcho, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
        #expect(F.classify(discovery(), F.echoReply(to: otherScan)) == .ignored)
        #expect(F.classify(discovery([F.router]), F.echoReply(to: echo)) == .ignored)
        // A port scan has no use for echo replies.
        #expect(F.classify(classifier(.syn), F.echoReply(to: echo)) == .ignored)
    }

    @Test("-PU: a UDP reply from the probed port, or a port unreachable quoting the probe, proves the host up")
    func udpDiscovery() {
        let probes = DiscoveryProbes.packets(for: DiscoveryProbeSet(udpPorts: [40125, 53]))
        let chosen = ReplyClassifier(mode: .discovery, cookie: cookie, hosts: [F.target], ports: PortSet(),
                                     discoveryProbes: probes)
        let closed = builder.packet(.udp, source: F.scanner, destination: F.target, port: 40125, tryNumber: 2)
        #expect(F.classify(chosen, F.unreachable(3, to: closed))
                == .host(HostAnswer(host: 0, tryNumber: 2, reason: .portUnreach, ttl: 63)))
        #expect(F.classify(chosen, F.unreachable(3, to: closed, from: F.router)) == .ignored, "a router's error proves nothing")
        let dns = builder.packet(.udp, source: F.scanner, destination: F.target, port: 53, tryNumber: 0)
        guard case .host(let answer) = F.classify(chosen, F.udpReply(to: dns)) else { Issue.record("no host"); return }
        #expect(answer.reason == .udpResponse && answer.item == 1, "the reply answers the second probe, to 53")
        // The default set sent no UDP: the same replies say nothing to it.
        #expect(F.classify(discovery(), F.udpReply(to: dns)) == .ignored)
        #expect(F.classify(discovery(), F.unreachable(3, to: closed)) == .ignored)
        // A port never probed: nothing.
        let other = builder.packet(.udp, source: F.scanner, destination: F.target, port: 5353, tryNumber: 0)
        #expect(F.classify(chosen, F.udpReply(to: other)) == .ignored)
    }

    @Test("-PP: a timestamp reply carrying our identifier proves the host up with reason timestamp-reply")
    func timestampDiscovery() {
        let probes = DiscoveryProbes.packets(for: DiscoveryProbeSet(timestamp: true))
        #expect(probes.map(\.kind) == [.icmpTimestamp])
        let chosen = ReplyClassifier(mode: .discovery, cookie: cookie, hosts: [F.target], ports: PortSet(),
                                     discoveryProbes: probes)
        let request = builder.packet(.icmpTimestamp, source: F.scanner, destination: F.target, port: 0, tryNumber: 3)
        #expect(request.count == ProbeWriter.icmpTimestampLength)
        #expect(F.classify(chosen, F.timestampReply(to: request))
                == .host(HostAnswer(host: 0, tryNumber: 3, reason: .timestampReply, ttl: 63)))
        let otherScan = RawProbeBuilder(cookie: ProbeCookie(seed: 6, ports: cookie.ports))
            .packet(.icmpTimestamp, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
        #expect(F.classify(chosen, F.timestampReply(to: otherScan)) == .ignored)
        #expect(F.classify(classifier(.syn), F.timestampReply(to: request)) == .ignored)
    }
}
