import Glibc
import Packets
import PortgridCore
import Testing
@testable import ScanEngine

/// `--ttl`, `--badsum`, `-g` and `-S` in the engine: the probes the builder writes, and the
/// classifier's matching when every probe leaves from one port (no reply credited to the wrong
/// port, and the try still known wherever the reply quotes it).
@Suite("probes and replies under --ttl, --badsum, -g and -S")
struct RawEvasionTests {
    typealias F = RawReplyFactory
    typealias V6 = RawReplyClassifierIPv6Tests
    let fixed = ProbeCookie(seed: 5, ports: SourcePortRange.forProbes(fixed: 53))
    let ports = PortSet(ports: [22, 53, 80, 443, 8080])

    func probe(_ technique: Technique, port: UInt16, tryNumber: Int = 0,
               options: PacketOptions = PacketOptions(sourcePort: 53)) -> [UInt8] {
        RawProbeBuilder(cookie: fixed, options: options)
            .packet(ProbeKind(technique)!, source: F.scanner, destination: F.target, port: port, tryNumber: tryNumber)
    }

    func answer(_ technique: Technique, _ reply: [UInt8]) -> PortAnswer? {
        let classifier = ReplyClassifier(mode: .ports(technique), cookie: fixed, hosts: [F.target], ports: ports)
        if case .port(let answer) = F.classify(classifier, reply) { return answer }
        return nil
    }

    @Test("--ttl 7 is the TTL byte of every IPv4 probe and the hop limit of every IPv6 one; the default is 64")
    func ttl() {
        let cookie = ProbeCookie(seed: 1, ports: SourcePortRange(lowerBound: 61000, count: 4536))
        for kind in [ProbeKind.tcp(.syn), .tcp(.ack), .udp, .icmpEcho] {
            let shaped = RawProbeBuilder(cookie: cookie, options: PacketOptions(ttl: 7))
            #expect(shaped.packet(kind, source: F.scanner, destination: F.target, port: 80, tryNumber: 0)[8] == 7)
            #expect(shaped.packetIPv6(kind, source: V6.scanner, destination: V6.target, port: 80, tryNumber: 0)[7] == 7)
            #expect(RawProbeBuilder(cookie: cookie).packet(kind, source: F.scanner, destination: F.target, port: 80,
                                                           tryNumber: 0)[8] == 64)
        }
    }

    @Test("--badsum: every raw probe kind, of either family, fails its transport checksum")
    func badChecksum() {
        let cookie = ProbeCookie(seed: 1, ports: SourcePortRange(lowerBound: 61000, count: 4536))
        for bad in [false, true] {
            let builder = RawProbeBuilder(cookie: cookie, options: PacketOptions(badChecksum: bad))
            for (kind, proto) in [(ProbeKind.tcp(.syn), IPProtocol.tcp), (.udp, .udp), (.tcp(.fin), .tcp)] {
                let v4 = builder.packet(kind, source: F.scanner, destination: F.target, port: 53, tryNumber: 0)
                var sum = PseudoHeader.ipv4(source: F.scanner, destination: F.target, protocol: proto)
                    .seed(length: v4.count - 20)
                sum.add(Array(v4[20...]))
                #expect(sum.isValid == !bad, "\(kind) over IPv4")
                let v6 = builder.packetIPv6(kind, source: V6.scanner, destination: V6.target, port: 53, tryNumber: 0)
                var sum6 = PseudoHeader.ipv6(source: V6.scanner, destination: V6.target, nextHeader: proto)
                    .seed(length: v6.count - 40)
                sum6.add(Array(v6[40...]))
                #expect(sum6.isValid == !bad, "\(kind) over IPv6")
            }
            let echo = builder.packet(.icmpEcho, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
            var sum = InternetChecksum()
            sum.add(Array(echo[20...]))
            #expect(sum.isValid == !bad, "ICMP echo")
        }
    }

    @Test("-g 53: every probe, every try, leaves from port 53; the try moves into the IP ID and flow label")
    func fixedSourcePort() {
        var identifications = Set<UInt16>()
        for technique in [Technique.syn, .udp, .fin, .ack] {
            for tryNumber in 0..<TryNumbers.count {
                for port: UInt16 in [22, 80, 8080] {
                    let bytes = probe(technique, port: port, tryNumber: tryNumber)
                    #expect(bytes[20] == 0 && bytes[21] == 53, "\(technique) try \(tryNumber) to \(port)")
                    let identification = UInt16(bytes[4]) << 8 | UInt16(bytes[5])
                    #expect(identification != 0, "the kernel would replace a zero IP ID")
                    #expect(fixed.tryNumber(ipIdentification: identification) == tryNumber)
                    identifications.insert(identification)
                }
            }
        }
        #expect(identifications.count == TryNumbers.count)
        for tryNumber in 0..<TryNumbers.count {
            let label = fixed.flowLabel(tryNumber: tryNumber)
            #expect(fixed.tryNumber(flowLabel: label) == tryNumber && label <= 0xF_FFFF)
        }
    }

    @Test("-S: the probes carry the source address given, with the cookie unchanged")
    func sourceAddress() {
        let spoofed: UInt32 = 0xC612_0063  // 198.18.0.99
        let bytes = RawProbeBuilder(cookie: fixed)
            .packet(.tcp(.syn), source: spoofed, destination: F.target, port: 80, tryNumber: 0)
        #expect(Array(bytes[12..<16]) == [198, 18, 0, 99])
    }

    @Test("-g: a SYN/ACK or RST is credited to its port and try by the sequence number it echoes")
    func tcpRepliesWithAFixedPort() {
        let syn = probe(.syn, port: 80, tryNumber: 3)
        let open = answer(.syn, F.synAck(to: syn))
        #expect(open?.state == .open && open?.item == 2 && open?.tryNumber == 3)
        let closed = answer(.syn, F.reset(to: probe(.syn, port: 22, tryNumber: 1)))
        #expect(closed?.state == .closed && closed?.item == 0 && closed?.tryNumber == 1)
        #expect(answer(.fin, F.reset(to: probe(.fin, port: 443)))?.state == .closed)
        #expect(answer(.ack, F.reset(to: probe(.ack, port: 8080, tryNumber: 2)))?.tryNumber == 2)
    }

    @Test("-g: a reply from another port than the probe's, whose ack echoes that probe, is never credited")
    func neverTheWrongPort() {
        var reply = F.synAck(to: probe(.syn, port: 22))
        reply[20] = 0
        reply[21] = 80  // now from port 80, echoing port 22's sequence number
        #expect(answer(.syn, reply) == nil)
        var stranger = F.synAck(to: probe(.syn, port: 22))
        stranger[23] = 54  // to our port 54: not the scan's port
        #expect(answer(.syn, stranger) == nil)
    }

    @Test("-g: a UDP answer is matched by target address and port (its try unknown); an ICMP error by the quoted marker's try")
    func udpWithAFixedPort() {
        let udp = probe(.udp, port: 53, tryNumber: 2)
        let open = answer(.udp, F.udpReply(to: udp))
        #expect(open?.state == .open && open?.item == 1 && open?.tryNumber == TryNumbers.unknown)
        let closed = answer(.udp, F.unreachable(3, to: probe(.udp, port: 443, tryNumber: 4)))
        #expect(closed?.state == .closed && closed?.item == 3 && closed?.tryNumber == 4)
        // An error quoting a datagram from port 53 without our marker is someone else's.
        var foreign = probe(.udp, port: 443)
        foreign[4] ^= 0x80
        #expect(answer(.udp, F.unreachable(3, to: foreign)) == nil)
    }

    @Test("-g over IPv6: the flow label's try is read back from an ICMPv6 error's quote")
    func ipv6ErrorsWithAFixedPort() {
        let builder = RawProbeBuilder(cookie: fixed, options: PacketOptions(sourcePort: 53))
        let udp = builder.packetIPv6(.udp, source: V6.scanner, destination: V6.target, port: 80, tryNumber: 5)
        let classifier = ReplyClassifier(mode: .ports(.udp), cookie: fixed, hosts: [], ipv6Hosts: [V6.target], ports: ports)
        guard case .port(let closed) = classifier.classify(V6.parse(V6.unreachable(4, to: udp))) else {
            Issue.record("not matched")
            return
        }
        #expect(closed.state == .closed && closed.item == 2 && closed.tryNumber == 5)
        let syn = builder.packetIPv6(.tcp(.syn), source: V6.scanner, destination: V6.target, port: 22, tryNumber: 6)
        let tcpClassifier = ReplyClassifier(mode: .ports(.syn), cookie: fixed, hosts: [], ipv6Hosts: [V6.target], ports: ports)
        #expect(tcpClassifier.classify(V6.parse(V6.reply(to: syn, flags: [.syn, .ack])))
            == .port(PortAnswer(host: 0, item: 0, tryNumber: 6, state: .open, reason: .synAck, ttl: 63, isICMPError: false)))
    }

    @Test("a connect probe's socket under --ttl, -e, -S and -g: IP_TTL, SO_BINDTODEVICE, SO_REUSEADDR, then bind")
    func connectSocket() throws {
        let network = FakeNetwork { _, _ in .drop }
        let packets = PacketOptions(ttl: 9, sourcePort: 53, sourceAddress: IPAddress("198.18.0.9"), interface: "lo")
        let socket = try SocketOperations(system: network, packets: packets).openProbe(family: AF_INET)
        let options = network.state.withLock { $0.options }
        #expect(options.contains { $0.level == CInt(IPPROTO_IP) && $0.name == IP_TTL && $0.value == [9, 0, 0, 0] })
        #expect(options.contains { $0.level == SOL_SOCKET && $0.name == SO_BINDTODEVICE && $0.value == Array("lo\0".utf8) })
        #expect(options.contains { $0.level == SOL_SOCKET && $0.name == SO_REUSEADDR })
        #expect(network.state.withLock { $0.binds } == [SocketAddress(.v4(IPv4Address(198, 18, 0, 9)), port: 53)])
        try network.close(socket.rawValue)
        let plain = FakeNetwork { _, _ in .drop }
        let other = try SocketOperations(system: plain).openProbe(family: AF_INET6)
        #expect(plain.state.withLock { $0.binds }.isEmpty)
        try plain.close(other.rawValue)
    }
}
