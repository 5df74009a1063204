import Testing
@testable import Packets

/// `--ttl`, `--badsum`, `-g` and `-S` on the wire: the probe writers' bytes, byte for byte against
/// packets worked out by hand (an independent checksum), and the bad checksum never verifying.
@Suite("probes shaped by --ttl, --badsum, -g and -S")
struct EvasionProbeTests {
    static let scanner: UInt32 = 0xC612_0009  // 198.18.0.9, a -S address
    static let target: UInt32 = 0xC612_0002  // 198.18.0.2

    func written(capacity: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0xA5, count: capacity)
        let length = buffer.withUnsafeMutableBytes { write($0) }
        return Array(buffer[..<length])
    }

    func syn(badChecksum: Bool) -> [UInt8] {
        written(capacity: ProbeWriter.tcpProbeLength(mss: true)) {
            ProbeWriter.tcpProbe(into: $0, src: Self.scanner, dst: Self.target, srcPort: 53, dstPort: 80,
                                 seq: 0x0102_0304, flags: .syn, window: 1024, mss: 1460, ttl: 7, ipID: 0x1234,
                                 badChecksum: badChecksum)
        }
    }

    @Test("a SYN from -S 198.18.0.9, -g 53, --ttl 7: TTL byte 7, source address and port as given, checksum right")
    func synBytes() {
        #expect(syn(badChecksum: false) == hex("""
            45 00 00 2c 12 34 00 00 07 06 15 69 c6 12 00 09 c6 12 00 02
            00 35 00 50 01 02 03 04 00 00 00 00 60 02 04 00 03 6c 00 00 02 04 05 b4
            """))
    }

    @Test("--badsum changes only the TCP checksum (one less, as nmap does), and the segment no longer verifies")
    func synBadChecksum() {
        let bad = syn(badChecksum: true)
        #expect(bad == hex("""
            45 00 00 2c 12 34 00 00 07 06 15 69 c6 12 00 09 c6 12 00 02
            00 35 00 50 01 02 03 04 00 00 00 00 60 02 04 00 03 6b 00 00 02 04 05 b4
            """))
        let pseudo = PseudoHeader.ipv4(source: Self.scanner, destination: Self.target, protocol: .tcp)
        #expect(verifies(Array(bad[..<20])), "the IP header checksum stays right: the packet must reach the target")
        #expect(!verifies(Array(bad[20...]), pseudo))
        #expect(verifies(Array(syn(badChecksum: false)[20...]), pseudo))
    }

    @Test("a UDP probe and an ICMP echo with --badsum carry the checksum one less")
    func udpAndEchoBadChecksum() {
        for (bad, expected) in [(false, "72 d8"), (true, "72 d7")] {
            let udp = written(capacity: ProbeWriter.udpProbeLength(payloadCount: 0)) {
                ProbeWriter.udpProbe(into: $0, src: Self.scanner, dst: Self.target, srcPort: 53, dstPort: 161,
                                     payload: UnsafeRawBufferPointer(start: nil, count: 0), ttl: 7, ipID: 0x1234,
                                     badChecksum: bad)
            }
            #expect(udp == hex("45 00 00 1c 12 34 00 00 07 11 15 6e c6 12 00 09 c6 12 00 02 00 35 00 a1 00 08 " + expected))
        }
        for (bad, expected) in [(false, "b5 b6"), (true, "b5 b5")] {
            let echo = written(capacity: ProbeWriter.icmpEchoLength) {
                ProbeWriter.icmpEcho(into: $0, src: Self.scanner, dst: Self.target, identifier: 0x4242, sequence: 7,
                                     ttl: 7, ipID: 0x1234, badChecksum: bad)
            }
            #expect(echo == hex("45 00 00 1c 12 34 00 00 07 01 15 7e c6 12 00 09 c6 12 00 02 08 00 " + expected + " 42 42 00 07"))
        }
    }

    @Test("an IPv6 SYN with --ttl 1 carries hop limit 1, and --badsum only its TCP checksum")
    func ipv6HopLimitAndBadChecksum() {
        let source: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0009, destination: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0002
        for (bad, expected) in [(false, "55 6f"), (true, "55 6e")] {
            let bytes = written(capacity: ProbeWriter.tcpProbe6Length(mss: false)) {
                ProbeWriter.tcpProbe6(into: $0, src: source, dst: destination, srcPort: 53, dstPort: 22, seq: 0x0A0B_0C0D,
                                      flags: .syn, window: 1024, hopLimit: 1, flowLabel: 0x12345, badChecksum: bad)
            }
            #expect(bytes == hex("""
                60 01 23 45 00 14 06 01 20 01 00 02 00 00 00 00 00 00 00 00 00 00 00 09
                20 01 00 02 00 00 00 00 00 00 00 00 00 00 00 02
                00 35 00 16 0a 0b 0c 0d 00 00 00 00 50 02 04 00
                """ + expected + " 00 00"))
        }
    }

    @Test("a corrupted checksum never verifies and is never zero, whatever the right one was")
    func corruptedNeverVerifies() {
        // Ones'-complement values are equal mod 0xFFFF (0x0000 and 0xFFFF both mean zero).
        let failures = (UInt16.min...UInt16.max).filter { correct in
            let wrong = InternetChecksum.corrupted(correct)
            return wrong == 0 || UInt32(wrong) % 0xFFFF == UInt32(correct) % 0xFFFF
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
    }

    @Test("with --badsum, random probes of every kind fail their transport checksum while the same without it pass")
    func randomProbes() {
        var random = SplitMix64(seed: 13)
        for _ in 0..<300 {
            let src = UInt32(truncatingIfNeeded: random.next()), dst = UInt32(truncatingIfNeeded: random.next())
            let port = UInt16(truncatingIfNeeded: random.next()), seq = UInt32(truncatingIfNeeded: random.next())
            let pseudoTCP = PseudoHeader.ipv4(source: src, destination: dst, protocol: .tcp)
            let pseudoUDP = PseudoHeader.ipv4(source: src, destination: dst, protocol: .udp)
            let payload = (0..<random.below(40)).map { _ in random.byte() }
            for bad in [false, true] {
                let tcp = written(capacity: ProbeWriter.tcpProbeLength(mss: false)) {
                    ProbeWriter.tcpProbe(into: $0, src: src, dst: dst, srcPort: 53, dstPort: port, seq: seq, badChecksum: bad)
                }
                #expect(verifies(Array(tcp[20...]), pseudoTCP) == !bad)
                let udp = written(capacity: ProbeWriter.udpProbeLength(payloadCount: payload.count)) { buffer in
                    payload.withUnsafeBytes {
                        ProbeWriter.udpProbe(into: buffer, src: src, dst: dst, srcPort: 53, dstPort: port, payload: $0,
                                             badChecksum: bad)
                    }
                }
                #expect(verifies(Array(udp[20...]), pseudoUDP) == !bad)
                #expect(udp[26] != 0 || udp[27] != 0, "a zero UDP checksum would mean none, and be accepted")
            }
        }
    }
}
