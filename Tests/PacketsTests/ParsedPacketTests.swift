import Testing
@testable import Packets

@Suite struct ParsedPacketTests {
    @Test func everyInputFormAgrees() throws {
        let fromArray = try ParsedPacket.parse(ipv4Datagram: synAckBytes)
        let fromPointer = try synAckBytes.withUnsafeBytes { try ParsedPacket.parse(ipv4Datagram: $0) }
        let fromSlice = try ParsedPacket.parse(ipv4Datagram: ([0xFF] + synAckBytes)[1...])
        let fromNonContiguous = try ParsedPacket.parse(ipv4Datagram: synAckBytes.lazy.map { $0 })
        #expect(fromPointer == fromArray)
        #expect(fromSlice == fromArray)
        #expect(fromNonContiguous == fromArray)
    }

    @Test func otherProtocolsAndFragments() throws {
        var gre = IPv4Header(totalLength: 24, protocol: IPProtocol(rawValue: 47), source: hostA, destination: hostB)
        gre.updateChecksum()
        let grePacket = try ParsedPacket.parse(ipv4Datagram: gre.bytes + [0, 0, 8, 0])
        #expect(grePacket == .other(gre))
        #expect(gre.protocol.description == "proto-47")

        // A non-first TCP fragment carries no TCP header, even if its bytes look like garbage.
        var fragment = IPv4Header(totalLength: 23, fragmentOffset: 185, protocol: .tcp, source: hostA, destination: hostB)
        fragment.updateChecksum()
        #expect(try ParsedPacket.parse(ipv4Datagram: fragment.bytes + [1, 2, 3]) == .other(fragment))
    }

    @Test func udpLengthLyingInsideIP() {
        var bytes = PacketBuilder.udpProbe(src: hostA, dst: hostB, srcPort: 1, dstPort: 2, payload: [1, 2, 3])
        bytes[25] = 200  // UDP length 200 inside an 11-byte segment
        #expect(throws: PacketError.totalLengthPastEnd(.udp, length: 200, available: 11)) {
            try ParsedPacket.parse(ipv4Datagram: bytes)
        }
    }

    @Test func ipv6ExtensionHeaderIsOther() throws {
        let ip = IPv6Header(payloadLength: 8, nextHeader: IPProtocol(rawValue: 0), source: 1, destination: 2)
        #expect(try ParsedIPv6Packet.parse(ipv6Packet: ip.bytes + [UInt8](repeating: 0, count: 8)) == .other(ip))
    }
}
