import Testing
@testable import Packets

/// The in-place writers must put on the wire exactly what the array builders return.
@Suite struct ProbeWriterTests {
    func written(capacity: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) -> [UInt8] {
        // Garbage first: a writer must set every byte it claims, not rely on zeroed memory.
        var buffer = [UInt8](repeating: 0xA5, count: capacity + 8)
        let length = buffer.withUnsafeMutableBytes { write(UnsafeMutableRawBufferPointer(rebasing: $0[..<capacity])) }
        #expect(length <= capacity)
        #expect(buffer[capacity...].allSatisfy { $0 == 0xA5 }, "wrote past the space it was given")
        return Array(buffer[..<length])
    }

    @Test func tcpProbesMatchTheBuilder() {
        var random = SplitMix64(seed: 31)
        let shapes: [(TCPFlags, UInt16?)] = [(.syn, 1460), (.syn, nil), ([], nil), ([.fin], nil), (.xmas, nil),
                                              ([.ack], nil), (.syn, 0xFFFF)]
        for (flags, mss) in shapes {
            for _ in 0..<200 {
                let src = UInt32(truncatingIfNeeded: random.next()), dst = UInt32(truncatingIfNeeded: random.next())
                let srcPort = UInt16(truncatingIfNeeded: random.next()), dstPort = UInt16(truncatingIfNeeded: random.next())
                let seq = UInt32(truncatingIfNeeded: random.next()), ack = UInt32(truncatingIfNeeded: random.next())
                let ttl = random.byte(), ipID = UInt16(truncatingIfNeeded: random.next())
                let window = UInt16(truncatingIfNeeded: random.next())
                let expected = PacketBuilder.tcpProbe(src: src, dst: dst, srcPort: srcPort, dstPort: dstPort, seq: seq,
                                                      ack: ack, flags: flags, window: window, mss: mss, ttl: ttl, ipID: ipID)
                let capacity = ProbeWriter.tcpProbeLength(mss: mss != nil)
                let bytes = written(capacity: capacity) {
                    ProbeWriter.tcpProbe(into: $0, src: src, dst: dst, srcPort: srcPort, dstPort: dstPort, seq: seq,
                                         ack: ack, flags: flags, window: window, mss: mss, ttl: ttl, ipID: ipID)
                }
                #expect(bytes == expected)
                #expect(capacity == expected.count)
            }
        }
    }

    @Test func udpProbesMatchTheBuilder() {
        var random = SplitMix64(seed: 32)
        var payloads = UDPPayloads.knownPorts.map { UDPPayloads.payload(forPort: $0) }
        payloads += [[], [0x01], [0xFF, 0xFF, 0xFF], (0..<301).map { UInt8(truncatingIfNeeded: $0 * 7) }]
        for payload in payloads {
            for _ in 0..<50 {
                let src = UInt32(truncatingIfNeeded: random.next()), dst = UInt32(truncatingIfNeeded: random.next())
                let srcPort = UInt16(truncatingIfNeeded: random.next()), dstPort = UInt16(truncatingIfNeeded: random.next())
                let ttl = random.byte(), ipID = UInt16(truncatingIfNeeded: random.next())
                let expected = PacketBuilder.udpProbe(src: src, dst: dst, srcPort: srcPort, dstPort: dstPort,
                                                      payload: payload, ttl: ttl, ipID: ipID)
                let capacity = ProbeWriter.udpProbeLength(payloadCount: payload.count)
                let bytes = written(capacity: capacity) { buffer in
                    payload.withUnsafeBytes {
                        ProbeWriter.udpProbe(into: buffer, src: src, dst: dst, srcPort: srcPort, dstPort: dstPort,
                                             payload: $0, ttl: ttl, ipID: ipID)
                    }
                }
                #expect(bytes == expected)
                #expect(capacity == expected.count)
            }
        }
    }

    @Test func aUDPChecksumOfZeroIsSentAsAllOnes() {
        // Search for a payload word that makes the sum come out zero, then check both writers agree.
        let src: UInt32 = 0xC612_0001, dst: UInt32 = 0xC612_0002
        var found = false
        for word in 0...UInt16.max {
            let payload = [UInt8(word >> 8), UInt8(word & 0xFF)]
            let expected = PacketBuilder.udpProbe(src: src, dst: dst, srcPort: 1, dstPort: 2, payload: payload)
            guard expected[26] == 0xFF && expected[27] == 0xFF else { continue }
            let bytes = written(capacity: 30) { buffer in
                payload.withUnsafeBytes {
                    ProbeWriter.udpProbe(into: buffer, src: src, dst: dst, srcPort: 1, dstPort: 2, payload: $0)
                }
            }
            #expect(bytes == expected)
            found = true
            break
        }
        #expect(found)
    }

    @Test func echoRequestsMatchTheBuilder() {
        var random = SplitMix64(seed: 33)
        for _ in 0..<500 {
            let src = UInt32(truncatingIfNeeded: random.next()), dst = UInt32(truncatingIfNeeded: random.next())
            let identifier = UInt16(truncatingIfNeeded: random.next()), sequence = UInt16(truncatingIfNeeded: random.next())
            let ttl = random.byte(), ipID = UInt16(truncatingIfNeeded: random.next())
            let expected = PacketBuilder.icmpEcho(src: src, dst: dst, identifier: identifier, sequence: sequence,
                                                  ttl: ttl, ipID: ipID)
            let bytes = written(capacity: ProbeWriter.icmpEchoLength) {
                ProbeWriter.icmpEcho(into: $0, src: src, dst: dst, identifier: identifier, sequence: sequence,
                                     ttl: ttl, ipID: ipID)
            }
            #expect(bytes == expected)
        }
    }
}
