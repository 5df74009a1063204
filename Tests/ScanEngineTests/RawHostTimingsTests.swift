import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct HostTimingsTests {
    let t4 = TimingProfile.template(4)

    @Test func aHostWithoutSamplesBorrowsTheOverallEstimate() {
        var timings = HostTimings(hostCount: 2)
        #expect(timings.retransmitTimeout(host: 1, t4) == t4.initialRTTTimeout)
        let start = ContinuousClock.now
        timings.sent(WorkItem(host: 0, item: 3, tryNumber: 0), at: start, profile: t4)
        _ = timings.answered(host: 0, item: 3, tryNumber: 0, at: start + .milliseconds(2))
        // 2 ms round trips: the verdict waits the profile's minimum, a retransmission a tenth of it.
        #expect(timings.timeout(host: 1, t4) == t4.minRTTTimeout)
        #expect(timings.retransmitTimeout(host: 1, t4) == RTTEstimator.retransmitFloor(t4))
        #expect(timings.retransmitTimeout(host: 0, t4) == RTTEstimator.retransmitFloor(t4))
    }

    @Test func aFewTimedProbesPerHostEachFreedByItsAnswerOrItsTimeout() {
        var timings = HostTimings(hostCount: 1)
        let start = ContinuousClock.now
        let slots = HostTimings.timedPerHost
        for item in 0 ..< slots + 1 {
            timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start, profile: t4)
        }
        // One past the slots was not timed; an answer to another try of a timed item is no sample.
        #expect(timings.answered(host: 0, item: slots, tryNumber: 0, at: start + .milliseconds(1)) == nil)
        #expect(timings.answered(host: 0, item: 0, tryNumber: 1, at: start + .milliseconds(1)) == nil)
        #expect(timings.answered(host: 0, item: 1, tryNumber: 0, at: start + .milliseconds(2)) == .milliseconds(2))
        #expect(timings.answered(host: 0, item: 1, tryNumber: 0, at: start + .milliseconds(3)) == nil)
        // The slot its answer freed times the next probe.
        timings.sent(WorkItem(host: 0, item: 9, tryNumber: 0), at: start + .milliseconds(3), profile: t4)
        #expect(timings.answered(host: 0, item: 9, tryNumber: 0, at: start + .milliseconds(5)) == .milliseconds(2))
        // Probes never answered (dropped) free their slots once their timeout is over.
        let later = start + t4.initialRTTTimeout + .milliseconds(1)
        timings.sent(WorkItem(host: 0, item: 20, tryNumber: 1), at: later, profile: t4)
        #expect(timings.answered(host: 0, item: 20, tryNumber: 1, at: later + .milliseconds(4)) == .milliseconds(4))
    }

    @Test func aLostTimedProbeDoesNotLeaveTheHostUnmeasured() {
        var timings = HostTimings(hostCount: 1)
        let start = ContinuousClock.now
        // The first probe goes to a port that drops it; the ones after it answer.
        for item in 0..<10 { timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start, profile: t4) }
        for item in 1..<10 { _ = timings.answered(host: 0, item: item, tryNumber: 0, at: start + .milliseconds(2)) }
        #expect(timings.smoothed(host: 0) == .milliseconds(2))
        #expect(timings.samples == HostTimings.timedPerHost - 1)
    }
}
