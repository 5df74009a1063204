import Testing
@testable import Packets

/// Every proper prefix of a valid datagram must be rejected with an error — the IP total length
/// (or, below 20 bytes, the header itself) no longer fits — and never trap.
@Suite struct TruncationTests {
    static let seeds: [(String, [UInt8])] = FuzzSeeds.ipv4.map { ($0.name, $0.bytes) }

    @Test func everyPrefixOfEveryIPv4SeedIsAnError() {
        for (name, seed) in Self.seeds {
            #expect((try? ParsedPacket.parse(ipv4Datagram: seed)) != nil, "\(name) parses whole")
            for length in 0..<seed.count {
                let prefix = Array(seed[..<length])
                #expect(throws: PacketError.self, "\(name) cut at \(length)") {
                    try ParsedPacket.parse(ipv4Datagram: prefix)
                }
            }
        }
    }

    @Test func everyPrefixOfEveryIPv6SeedIsAnError() {
        for (name, seed) in FuzzSeeds.ipv6.map({ ($0.name, $0.bytes) }) {
            #expect((try? ParsedIPv6Packet.parse(ipv6Packet: seed)) != nil, "\(name) parses whole")
            for length in 0..<seed.count {
                #expect(throws: PacketError.self, "\(name) cut at \(length)") {
                    try ParsedIPv6Packet.parse(ipv6Packet: Array(seed[..<length]))
                }
            }
        }
    }

    @Test func transportHeadersCutShortAreErrors() {
        let tcp = Array(synAckBytes[20...])
        for length in 0..<tcp.count {
            #expect(throws: PacketError.self) { try TCPHeader.parse(Array(tcp[..<length])) }
        }
        let udp = Array(PacketBuilder.udpProbe(src: 1, dst: 2, srcPort: 3, dstPort: 53, payload: UDPPayloads.dnsRootNS)[20...])
        for length in 0..<udp.count {
            #expect(throws: PacketError.self) { try UDPHeader.parse(Array(udp[..<length])) }
        }
        for length in 0..<ICMPv4Message.headerLength {
            #expect(throws: PacketError.self) { try ICMPv4Message.parse([UInt8](repeating: 3, count: length)) }
            #expect(throws: PacketError.self) { try ICMPv6Message.parse([UInt8](repeating: 1, count: length)) }
        }
    }
}
