import Packets
import Testing
@testable import ScanEngine

@Suite struct PacketBatchTests {
    @Test func packetsArePackedAndCutBackOut() {
        var batch = PacketBatch(capacity: 2, bytesPerPacket: 4)
        batch.append([1, 2, 3], destination: 10)
        batch.append(destination: 11, maximum: 64) { buffer in
            for index in 0..<5 { buffer[index] = UInt8(index + 20) }
            return 5
        }
        batch.append([], destination: 12)
        batch.append(Array(repeating: 9, count: 300), destination: 13)  // grows past the first guess
        #expect(batch.count == 4)
        #expect(batch.destinations == [10, 11, 12, 13])
        #expect(batch.packet(0) == [1, 2, 3])
        #expect(batch.packet(1) == [20, 21, 22, 23, 24])
        #expect(batch.packet(2) == [])
        #expect(batch.packet(3) == Array(repeating: 9, count: 300))
        let total = batch.withBytes { $0.count }
        #expect(total == 308)
        #expect(batch.range(of: 1) == 3..<8)
    }

    @Test func aCopyHandedOffStaysAsItWasWhileTheOriginalIsRefilled() {
        var batch = PacketBatch(capacity: 4)
        batch.append([1, 1], destination: 1)
        batch.append([2, 2], destination: 2)
        let handedOff = batch
        batch.removeAll()
        #expect(batch.isEmpty)
        batch.append([3, 3, 3], destination: 3)
        #expect(handedOff.count == 2 && handedOff.packet(0) == [1, 1] && handedOff.packet(1) == [2, 2])
        #expect(batch.packet(0) == [3, 3, 3] && batch.destinations == [3])
    }

    @Test func probesWrittenIntoABatchAreTheBuildersProbes() {
        let cookie = ProbeCookie(seed: 4, ports: SourcePortRange(lowerBound: 61000, count: 4536))
        let builder = RawProbeBuilder(cookie: cookie)
        var batch = PacketBatch(capacity: 3)
        builder.write(.tcp(.syn), source: 1, destination: 2, port: 80, tryNumber: 1, into: &batch)
        builder.write(.udp, source: 1, destination: 2, port: 53, tryNumber: 0, into: &batch)
        builder.write(.icmpEcho, source: 1, destination: 3, port: 0, tryNumber: 2, into: &batch)
        let syn = PacketBuilder.tcpProbe(
            src: 1, dst: 2, srcPort: cookie.sourcePort(host: 2, port: 80, proto: 6, tryNumber: 1), dstPort: 80,
            seq: cookie.sequence(host: 2, port: 80, tryNumber: 1), flags: .syn, window: 1024,
            mss: RawProbeBuilder.synMSS, ipID: cookie.ipIdentification)
        let udp = PacketBuilder.udpProbe(
            src: 1, dst: 2, srcPort: cookie.sourcePort(host: 2, port: 53, proto: 17, tryNumber: 0), dstPort: 53,
            payload: UDPPayloads.payload(forPort: 53), ipID: cookie.ipIdentification)
        let echo = PacketBuilder.icmpEcho(src: 1, dst: 3, identifier: cookie.echoIdentifier,
                                          sequence: cookie.echoSequence(host: 3, tryNumber: 2),
                                          ipID: cookie.ipIdentification)
        #expect(batch.packet(0) == syn && batch.packet(1) == udp && batch.packet(2) == echo)
        #expect(batch.destinations == [2, 2, 3])
    }
}

@Suite struct RawSendSplitTests {
    @Test func startsEvenAndLearnsWhereTheHelperAlwaysHasAPartAtHand() {
        var split = RawSendSplit()
        #expect(split.part(of: 256) == 128)
        split.batchReady(helperOutstanding: 0)  // idle: more for it
        #expect(split.part(of: 256) == 136)
        split.batchReady(helperOutstanding: 1)  // busy with the last part: as it is
        #expect(split.part(of: 256) == 136)
        split.batchReady(helperOutstanding: 2)  // behind: less for it
        split.batchReady(helperOutstanding: 2)
        #expect(split.part(of: 256) == 120)
    }

    @Test func neverLeavesEitherThreadWithoutWork() {
        var split = RawSendSplit()
        for _ in 0..<100 { split.batchReady(helperOutstanding: 0) }
        #expect(split.part(of: 256) == 256 * RawSendSplit.most / 64)
        #expect(split.part(of: 256) < 256)
        for _ in 0..<100 { split.batchReady(helperOutstanding: 2) }
        #expect(split.part(of: 256) == 256 * RawSendSplit.least / 64)
        #expect(split.part(of: 256) > 0)
    }
}
