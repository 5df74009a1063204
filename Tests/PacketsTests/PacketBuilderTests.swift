import Testing
@testable import Packets

@Suite struct PacketBuilderTests {
    @Test func tcpProbeIsWellFormed() throws {
        let bytes = PacketBuilder.tcpProbe(
            src: hostB, dst: hostA, srcPort: 45_000, dstPort: 443, seq: 0x0102_0304, ack: 9,
            flags: .syn, window: 1024, mss: 1460, ttl: 37, ipID: 0x5150)
        #expect(bytes.count == 44)
        #expect(verifies(Array(bytes[..<20])))
        #expect(verifies(Array(bytes[20...]), .ipv4(source: hostB, destination: hostA, protocol: .tcp)))
        guard case .tcp(let ip, let tcp) = try ParsedPacket.parse(ipv4Datagram: bytes) else {
            Issue.record("not TCP")
            return
        }
        #expect(ip.totalLength == 44 && ip.ttl == 37 && ip.identification == 0x5150)
        #expect(ip.source == hostB && ip.destination == hostA && ip.protocol == .tcp)
        #expect(tcp.sourcePort == 45_000 && tcp.destinationPort == 443)
        #expect(tcp.sequenceNumber == 0x0102_0304 && tcp.acknowledgmentNumber == 9)
        #expect(tcp.flags == .syn && tcp.window == 1024)
        #expect(tcp.options.decoded == [.maximumSegmentSize(1460)])
    }

    @Test func stealthProbesHaveNoOptions() throws {
        for flags: TCPFlags in [[], [.fin], .xmas, [.ack]] {
            let bytes = PacketBuilder.tcpProbe(
                src: hostB, dst: hostA, srcPort: 1, dstPort: 2, seq: 3, flags: flags)
            #expect(bytes.count == 40)
            #expect(verifies(Array(bytes[20...]), .ipv4(source: hostB, destination: hostA, protocol: .tcp)))
            guard case .tcp(_, let tcp) = try ParsedPacket.parse(ipv4Datagram: bytes) else {
                Issue.record("not TCP")
                continue
            }
            #expect(tcp.flags == flags && tcp.options.isEmpty)
        }
    }

    @Test func udpProbeCarriesThePayload() throws {
        for port in UDPPayloads.knownPorts + [9] {
            let payload = UDPPayloads.payload(forPort: port)
            let bytes = PacketBuilder.udpProbe(
                src: hostB, dst: hostA, srcPort: 50_000, dstPort: port, payload: payload, ttl: 5, ipID: 1)
            #expect(bytes.count == 28 + payload.count)
            #expect(verifies(Array(bytes[..<20])))
            #expect(verifies(Array(bytes[20...]), .ipv4(source: hostB, destination: hostA, protocol: .udp)))
            guard case .udp(let ip, let udp, let parsedPayload) = try ParsedPacket.parse(ipv4Datagram: bytes) else {
                Issue.record("not UDP")
                continue
            }
            #expect(ip.ttl == 5)
            #expect(udp.sourcePort == 50_000 && udp.destinationPort == port)
            #expect(Int(udp.length) == 8 + payload.count && udp.checksum != 0)
            #expect(parsedPayload == payload)
        }
    }

    @Test func icmpEchoRoundTrip() throws {
        let bytes = PacketBuilder.icmpEcho(
            src: hostB, dst: hostA, identifier: 0xCAFE, sequence: 513, payload: [1, 2, 3, 4, 5])
        #expect(verifies(Array(bytes[..<20])))
        #expect(verifies(Array(bytes[20...])))
        let packet = try ParsedPacket.parse(ipv4Datagram: bytes)
        #expect(packet == .icmp(packet.ip, .echoRequest(ICMPEcho(identifier: 0xCAFE, sequence: 513, payload: [1, 2, 3, 4, 5]))))
        #expect(packet.ip.protocol == .icmp)
    }

    @Test func oversizedPayloadIsCutToFit() throws {
        let huge = [UInt8](repeating: 0x41, count: 70_000)
        let bytes = PacketBuilder.udpProbe(src: hostB, dst: hostA, srcPort: 1, dstPort: 2, payload: huge)
        #expect(bytes.count == 65_535)
        guard case .udp(let ip, _, let payload) = try ParsedPacket.parse(ipv4Datagram: bytes) else {
            Issue.record("not UDP")
            return
        }
        #expect(ip.totalLength == 65_535 && payload.count == PacketBuilder.maximumIPv4Payload)
    }

    @Test func ipv6ProbesRoundTrip() throws {
        let tcp = PacketBuilder.tcpProbe6(
            src: hostA6, dst: hostB6, srcPort: 1000, dstPort: 22, seq: 5, flags: .syn, mss: 1440, hopLimit: 9)
        #expect(verifies(Array(tcp[40...]), .ipv6(source: hostA6, destination: hostB6, nextHeader: .tcp)))
        guard case .tcp(let ip, let header) = try ParsedIPv6Packet.parse(ipv6Packet: tcp) else {
            Issue.record("not TCP")
            return
        }
        #expect(ip.hopLimit == 9 && ip.payloadLength == 24)
        #expect(header.options.maximumSegmentSize == 1440 && header.sequenceNumber == 5)

        let udp = PacketBuilder.udpProbe6(
            src: hostA6, dst: hostB6, srcPort: 2000, dstPort: 53, payload: UDPPayloads.dnsRootNS)
        #expect(verifies(Array(udp[40...]), .ipv6(source: hostA6, destination: hostB6, nextHeader: .udp)))
        guard case .udp(_, let udpHeader, let payload) = try ParsedIPv6Packet.parse(ipv6Packet: udp) else {
            Issue.record("not UDP")
            return
        }
        #expect(udpHeader.destinationPort == 53 && payload == UDPPayloads.dnsRootNS)

        let ping = PacketBuilder.icmpv6Echo(src: hostA6, dst: hostB6, identifier: 7, sequence: 8, payload: [9])
        #expect(verifies(Array(ping[40...]), .ipv6(source: hostA6, destination: hostB6, nextHeader: .icmpv6)))
        #expect(try ParsedIPv6Packet.parse(ipv6Packet: ping)
            == .icmp(try IPv6Header.parse(ping), .echoRequest(ICMPEcho(identifier: 7, sequence: 8, payload: [9]))))
    }
}
