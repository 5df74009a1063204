import PortgridCore
import Testing
@testable import Report

/// The big-report paths (a flat slot table for the merge, selection for the median) give exactly
/// what the sorting paths give.
@Suite struct ReportBuildSpeedPathTests {
    @Test func flatMergeMatchesTheSortedMerge() {
        var generator = SystemRandomNumberGenerator()
        let host = IPAddress("198.18.0.2")!
        let states: [PortState] = [.open, .closed, .filtered, .unfiltered, .openFiltered, .closedFiltered]
        let techniques: [Technique] = [.connect, .syn, .ack, .fin]
        var results: [PortResult] = []
        for _ in 0..<20_000 {
            let proto: TransportProtocol = Bool.random(using: &generator) ? .tcp : .udp
            results.append(PortResult(host: host, proto: proto, port: UInt16.random(in: 1...3_000, using: &generator),
                                      state: states.randomElement(using: &generator)!, reason: .noResponse,
                                      technique: techniques.randomElement(using: &generator)!, rtt: nil))
        }
        // Below the threshold the sorting path runs; compare it with the flat one on the same input.
        let small = Array(results.prefix(PortMerge.flatThreshold - 1))
        #expect(PortMerge.mergeOneHostFlat(small) == PortMerge.mergeOneHost(small))
        let flat = PortMerge.mergeOneHostFlat(results)
        #expect(Set(flat.map { "\($0.proto)/\($0.port)" }).count == flat.count)
        #expect(flat == flat.sorted { ($0.proto, $0.port) < ($1.proto, $1.port) })
    }

    @Test func selectionFindsTheSortedValue() {
        var generator = SystemRandomNumberGenerator()
        for size in [1, 2, 3, 10, 1_001, 65_535] {
            let values = (0..<size).map { _ in Int64.random(in: 0...50, using: &generator) }
            let sorted = values.sorted()
            for k in Set([0, size / 2, size - 1]) {
                var work = values
                #expect(RTTSummary.select(k, in: &work) == sorted[k], "size \(size) k \(k)")
            }
        }
    }

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        let samples: [Duration] = [.milliseconds(4), .milliseconds(1), .milliseconds(3), .milliseconds(2)]
        #expect(RTTSummary.make(hostRTT: nil, samples: samples, timing: nil)?.srtt == .microseconds(2_500))
        let odd: [Duration] = [.milliseconds(9), .milliseconds(1), .milliseconds(5)]
        #expect(RTTSummary.make(hostRTT: nil, samples: odd, timing: nil)?.srtt == .milliseconds(5))
    }
}
