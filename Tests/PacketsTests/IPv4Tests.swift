import Testing
@testable import Packets

@Suite struct IPv4AddressTests {
    @Test func formatAndParse() {
        #expect(IPv4.format(0x7F00_0001) == "127.0.0.1")
        #expect(IPv4.format(hostB) == "192.168.1.100")
        #expect(IPv4.parse("192.168.1.100") == hostB)
        #expect(IPv4.parse("0.0.0.0") == 0)
        #expect(IPv4.parse("255.255.255.255") == .max)
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4.", "a.b.c.d", "1234.1.1.1", " 1.2.3.4"] {
            #expect(IPv4.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct IPv4HeaderTests {
    @Test func parsesKnownHeader() throws {
        let ip = try IPv4Header.parse(synAckBytes)
        #expect(ip.headerLength == 20)
        #expect(ip.tos == 0)
        #expect(ip.totalLength == 60)
        #expect(ip.identification == 0)
        #expect(ip.flags == .dontFragment)
        #expect(ip.fragmentOffset == 0)
        #expect(ip.ttl == 64)
        #expect(ip.protocol == .tcp)
        #expect(ip.checksum == 0xB6FD)
        #expect(ip.checksum == ip.computedChecksum)
        #expect(IPv4.format(ip.source) == "192.168.1.10")
        #expect(IPv4.format(ip.destination) == "192.168.1.100")
        #expect(ip.options.isEmpty)
    }

    @Test func roundTripWithOptions() throws {
        // Record-route (7) with room for one address, then a NOP; padded to 12 bytes.
        let options = try IPv4Options(bytes: [7, 7, 4, 0, 0, 0, 0, 1])
        #expect(options.count == 8)
        var ip = IPv4Header(
            tos: 0x10, totalLength: 28, identification: 0xBEEF, flags: [.moreFragments, .reserved],
            fragmentOffset: 0x1ABC, ttl: 3, protocol: IPProtocol(rawValue: 253), source: hostA,
            destination: hostB, options: options)
        ip.updateChecksum()
        let bytes = ip.bytes
        #expect(bytes.count == 28)
        #expect(bytes[0] == 0x47)
        #expect(verifies(bytes))
        let parsed = try IPv4Header.parse(bytes)
        #expect(parsed == ip)
        #expect(parsed.bytes == bytes)
        #expect(parsed.isNonFirstFragment)
    }

    @Test func fragmentOffsetAndFlagsAreMasked() {
        let ip = IPv4Header(fragmentOffset: 0xFFFF, protocol: .udp, source: 0, destination: 0)
        #expect(ip.fragmentOffset == 0x1FFF)
        #expect(IPv4Flags(rawValue: 0xFF).rawValue == 0b111)
    }

    @Test func lyingLengthsAreTypedErrors() {
        var bad = synAckBytes
        bad[0] = 0x44  // IHL 4
        #expect(throws: PacketError.headerLengthTooSmall(.ipv4, length: 16, minimum: 20)) {
            try IPv4Header.parse(bad)
        }
        bad[0] = 0x65  // version 6
        #expect(throws: PacketError.wrongVersion(.ipv4, found: 6)) { try IPv4Header.parse(bad) }
        bad = synAckBytes
        bad[3] = 0x3D  // total length 61 > 60 bytes held
        #expect(throws: PacketError.totalLengthPastEnd(.ipv4, length: 61, available: 60)) {
            try IPv4Header.parse(bad)
        }
        bad[3] = 0x13  // total length 19 < header
        #expect(throws: PacketError.totalLengthTooSmall(.ipv4, length: 19, minimum: 20)) {
            try IPv4Header.parse(bad)
        }
        // IHL 15 (60 bytes) on a 24-byte buffer.
        let short = hex("4f 00 00 18 00 00 00 00 40 06 00 00 01 02 03 04 05 06 07 08 01 01 01 01")
        #expect(throws: PacketError.headerLengthPastEnd(.ipv4, length: 60, available: 24)) {
            try IPv4Header.parse(short)
        }
        #expect(throws: PacketError.truncated(.ipv4, needed: 1, available: 0)) { try IPv4Header.parse([]) }
    }

    @Test func optionRunningPastTheEndIsAnError() {
        // IHL 6: 4 option bytes, the option claims 6.
        let header = hex("46 00 00 18 00 00 00 00 40 06 00 00 01 02 03 04 05 06 07 08 83 06 04 00")
        #expect(throws: PacketError.optionPastEnd(.ipv4, kind: 0x83, offset: 0)) {
            try IPv4Header.parse(header)
        }
        var zeroLength = header
        zeroLength[21] = 0
        #expect(throws: PacketError.optionLengthInvalid(.ipv4, kind: 0x83, length: 0)) {
            try IPv4Header.parse(zeroLength)
        }
        var kindAtEnd = header
        kindAtEnd.replaceSubrange(20..<24, with: [1, 1, 1, 0x44])  // three NOPs, then a kind with no length
        #expect(throws: PacketError.optionPastEnd(.ipv4, kind: 0x44, offset: 3)) {
            try IPv4Header.parse(kindAtEnd)
        }
        #expect(throws: PacketError.optionsTooLong(.ipv4, length: 41)) {
            try IPv4Options(bytes: [UInt8](repeating: 1, count: 41))
        }
    }

    @Test func trailingBytesPastTotalLengthAreIgnored() throws {
        let padded = synAckBytes + [0, 0, 0, 0, 0, 0]
        let packet = try ParsedPacket.parse(ipv4Datagram: padded)
        #expect(packet == (try ParsedPacket.parse(ipv4Datagram: synAckBytes)))
    }
}
