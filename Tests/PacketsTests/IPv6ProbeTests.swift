import Testing
@testable import Packets

/// The IPv6 probe writers, the extension-header walk, and ICMPv6 parsing of what a scanner meets.
@Suite struct IPv6ProbeTests {
    let src: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0001  // 2001:2::1
    let dst: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0002

    func written(capacity: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0xA5, count: capacity + 8)
        let length = buffer.withUnsafeMutableBytes { write(UnsafeMutableRawBufferPointer(rebasing: $0[..<capacity])) }
        #expect(buffer[capacity...].allSatisfy { $0 == 0xA5 }, "wrote past the space it was given")
        return Array(buffer[..<length])
    }

    @Test("an IPv6 TCP probe written in place is the builder's packet, and its checksum covers the pseudo-header")
    func tcpProbesMatchTheBuilderAndVerify() throws {
        var random = SplitMix64(seed: 61)
        for (flags, mss) in [(TCPFlags.syn, UInt16?(1460)), ([], nil), ([.fin], nil), (.xmas, nil), ([.ack], nil)] {
            for _ in 0..<100 {
                let src = UInt128(random.next()) << 64 | UInt128(random.next())
                let dst = UInt128(random.next()) << 64 | UInt128(random.next())
                let srcPort = UInt16(truncatingIfNeeded: random.next()), dstPort = UInt16(truncatingIfNeeded: random.next())
                let seq = UInt32(truncatingIfNeeded: random.next()), ack = UInt32(truncatingIfNeeded: random.next())
                let expected = PacketBuilder.tcpProbe6(src: src, dst: dst, srcPort: srcPort, dstPort: dstPort, seq: seq,
                                                       ack: ack, flags: flags, mss: mss, hopLimit: 61)
                let bytes = written(capacity: ProbeWriter.tcpProbe6Length(mss: mss != nil)) {
                    ProbeWriter.tcpProbe6(into: $0, src: src, dst: dst, srcPort: srcPort, dstPort: dstPort, seq: seq,
                                          ack: ack, flags: flags, mss: mss, hopLimit: 61)
                }
                #expect(bytes == expected)
                #expect(verifies(Array(bytes[40...]), .ipv6(source: src, destination: dst, nextHeader: .tcp)))
            }
        }
    }

    @Test("an IPv6 UDP probe carries its payload, a flow label, and a checksum that is never zero")
    func udpProbesVerify() throws {
        let payload: [UInt8] = Array("portgrid".utf8)
        let bytes = written(capacity: ProbeWriter.udpProbe6Length(payloadCount: payload.count)) { buffer in
            payload.withUnsafeBytes {
                ProbeWriter.udpProbe6(into: buffer, src: src, dst: dst, srcPort: 61001, dstPort: 53, payload: $0,
                                      flowLabel: 0xABCDE)
            }
        }
        #expect(bytes == PacketBuilder.udpProbe6(src: src, dst: dst, srcPort: 61001, dstPort: 53, payload: payload)
            .enumerated().map { $0.offset == 1 ? 0x0A : $0.offset == 2 ? 0xBC : $0.offset == 3 ? 0xDE : $0.element })
        guard case .udp(let ip, let udp, let parsedPayload) = try ParsedIPv6Packet.parse(ipv6Packet: bytes) else {
            Issue.record("not UDP")
            return
        }
        #expect(ip.flowLabel == 0xABCDE && udp.destinationPort == 53 && parsedPayload == payload)
        #expect(udp.checksum != 0)
        #expect(verifies(Array(bytes[40...]), .ipv6(source: src, destination: dst, nextHeader: .udp)))
    }

    @Test("an ICMPv6 echo request written in place is the builder's and verifies over the pseudo-header")
    func icmpv6ProbesVerify() throws {
        let echo = written(capacity: ProbeWriter.icmpv6EchoLength) {
            ProbeWriter.icmpv6Echo(into: $0, src: src, dst: dst, identifier: 0x1234, sequence: 7)
        }
        #expect(echo == PacketBuilder.icmpv6Echo(src: src, dst: dst, identifier: 0x1234, sequence: 7))
        #expect(verifies(Array(echo[40...]), .ipv6(source: src, destination: dst, nextHeader: .icmpv6)))
    }

    @Test("a reply behind hop-by-hop, destination-options and fragment headers is read to its TCP header")
    func extensionHeadersAreSkipped() throws {
        let syn = PacketBuilder.tcpProbe6(src: dst, dst: src, srcPort: 80, dstPort: 61001, seq: 9, ack: 10,
                                          flags: .synAck)
        let tcp = Array(syn[40...])
        // hop-by-hop (8 bytes, next: dest opts), dest opts (16 bytes, next: fragment), fragment (first, next: TCP)
        let chain: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0]
            + [44, 1, 1, 12] + [UInt8](repeating: 0, count: 12)
            + [6, 0, 0x00, 0x01, 0, 0, 0, 1]
        var header = try IPv6Header.parse(syn)
        header.nextHeader = IPv6Extensions.hopByHop
        header.payloadLength = UInt16(chain.count + tcp.count)
        let packet = header.bytes + chain + tcp
        guard case .tcp(_, let parsed) = try ParsedIPv6Packet.parse(ipv6Packet: packet) else {
            Issue.record("not read through to TCP")
            return
        }
        #expect(parsed.sourcePort == 80 && parsed.flags == .synAck)
        // A later fragment has no transport header to read.
        var later = packet
        later[40 + 8 + 16 + 2] = 0x05  // fragment offset 160 bytes
        #expect(try ParsedIPv6Packet.parse(ipv6Packet: later) == .other(header))
    }

    @Test("a hostile extension chain ends the walk without reading past the buffer or looping")
    func hostileChainsAreBounded() throws {
        // Nine hop-by-hop headers pointing at each other, then a length running past the end.
        let loop = [UInt8](repeating: 0, count: 9 * 8)
        let walk = loop.withUnsafeBytes { IPv6Extensions.walk($0, first: IPv6Extensions.hopByHop, at: 0) }
        #expect(walk.offset == IPv6Extensions.maximumHeaders * 8)
        let long: [UInt8] = [6, 200, 0, 0, 0, 0, 0, 0]
        let cut = long.withUnsafeBytes { IPv6Extensions.walk($0, first: IPv6Extensions.destinationOptions, at: 0) }
        #expect(cut.upperLayer == IPv6Extensions.destinationOptions && cut.offset == 0)
        var random = SplitMix64(seed: 62)
        for length in 0..<300 {
            var bytes = (0..<length).map { _ in random.byte() }
            if length > 0 { bytes[0] = 0x60 }
            _ = try? ParsedIPv6Packet.parse(ipv6Packet: bytes)
        }
    }

    @Test("an ICMPv6 error quoting a probe behind an extension header still gives the probe's ports")
    func quotesWalkExtensionHeaders() throws {
        let probe = PacketBuilder.udpProbe6(src: src, dst: dst, srcPort: 61002, dstPort: 161)
        var header = try IPv6Header.parse(probe)
        header.nextHeader = IPv6Extensions.destinationOptions
        let quote = header.bytes + [17, 0, 1, 4, 0, 0, 0, 0] + Array(probe[40...])
        var message: [UInt8] = [1, 4, 0, 0, 0, 0, 0, 0] + quote
        let checksum = PseudoHeader.ipv6(source: dst, destination: src, nextHeader: .icmpv6).checksum(message)
        message[2] = UInt8(checksum >> 8)
        message[3] = UInt8(truncatingIfNeeded: checksum)
        guard case .destinationUnreachable(.portUnreachable, let quoted) = try ICMPv6Message.parse(message) else {
            Issue.record("not a port unreachable")
            return
        }
        #expect(quoted.sourcePort == 61002 && quoted.destinationPort == 161 && quoted.transport.protocol == .udp)
    }

    @Test("a neighbour advertisement is read with the address it speaks for")
    func neighborAdvertisementsParse() throws {
        let message = ICMPv6Message.neighborAdvertisement(target: dst).bytes(source: dst, destination: src)
        #expect(try ICMPv6Message.parse(message) == .neighborAdvertisement(target: dst))
    }
}
