import Testing
@testable import Packets

@Suite struct UDPHeaderTests {
    @Test func roundTrip() throws {
        var header = UDPHeader(sourcePort: 5353, destinationPort: 53)
        let payload: [UInt8] = Array("hello".utf8)
        header.update(for: payload, source: hostA, destination: hostB)
        #expect(header.length == 13)
        #expect(header.payloadLength == 5)
        let datagram = header.bytes + payload
        #expect(verifies(datagram, .ipv4(source: hostA, destination: hostB, protocol: .udp)))
        let (parsed, parsedPayload) = try UDPHeader.parse(datagram + [9, 9])  // trailing bytes ignored
        #expect(parsed == header)
        #expect(parsedPayload == payload)
    }

    @Test func zeroChecksumIsSentAsAllOnes() {
        // Find a payload whose checksum computes to zero: append the word that cancels the sum.
        var header = UDPHeader(sourcePort: 1, destinationPort: 2)
        var probe = PseudoHeader.ipv4(source: hostA, destination: hostB, protocol: .udp).seed(length: 10)
        probe.add(UDPHeader(sourcePort: 1, destinationPort: 2, length: 10).bytes)
        let filler = probe.foldedSum ^ 0xFFFF  // makes the folded sum 0xFFFF → checksum 0
        let payload = [UInt8(filler >> 8), UInt8(filler & 0xFF)]
        header.update(for: payload, source: hostA, destination: hostB)
        #expect(header.checksum == 0xFFFF)
        #expect(verifies(header.bytes + payload, .ipv4(source: hostA, destination: hostB, protocol: .udp)))
    }

    @Test func lyingLengthIsTypedError() {
        #expect(throws: PacketError.totalLengthTooSmall(.udp, length: 7, minimum: 8)) {
            try UDPHeader.parse(hex("0001 0002 0007 0000"))
        }
        #expect(throws: PacketError.totalLengthPastEnd(.udp, length: 9, available: 8)) {
            try UDPHeader.parse(hex("0001 0002 0009 0000"))
        }
        #expect(throws: PacketError.truncated(.udp, needed: 8, available: 7)) {
            try UDPHeader.parse(hex("0001 0002 0008 00"))
        }
    }
}

@Suite struct IPv6HeaderTests {
    @Test func knownBytes() throws {
        let bytes = hex("""
            6a b1 23 45 00 08 11 40
            20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
            20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
            """) + [UInt8](repeating: 0, count: 8)
        let ip = try IPv6Header.parse(bytes)
        #expect(ip.trafficClass == 0xAB)
        #expect(ip.flowLabel == 0x12345)
        #expect(ip.payloadLength == 8)
        #expect(ip.nextHeader == .udp)
        #expect(ip.hopLimit == 64)
        #expect(ip.source == hostA6)
        #expect(ip.destination == hostB6)
        #expect(ip.bytes == Array(bytes[..<40]))
    }

    @Test func roundTripAndMasking() throws {
        let ip = IPv6Header(
            trafficClass: 0xFF, flowLabel: 0xFFFF_FFFF, payloadLength: 0, nextHeader: .tcp,
            hopLimit: 1, source: .max, destination: 0)
        #expect(ip.flowLabel == 0xF_FFFF)
        #expect(try IPv6Header.parse(ip.bytes) == ip)
    }

    @Test func lyingFieldsAreTypedErrors() {
        var bytes = IPv6Header(payloadLength: 4, nextHeader: .udp, source: 1, destination: 2).bytes
        #expect(throws: PacketError.totalLengthPastEnd(.ipv6, length: 44, available: 40)) {
            try IPv6Header.parse(bytes)
        }
        bytes[0] = 0x45
        #expect(throws: PacketError.wrongVersion(.ipv6, found: 4)) { try IPv6Header.parse(bytes) }
        #expect(throws: PacketError.truncated(.ipv6, needed: 40, available: 39)) {
            try IPv6Header.parse(Array(bytes[..<39]))
        }
    }
}
