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

    @Test func oneTimedProbePerHostUntilItsTimeoutPasses() {
        var timings = HostTimings(hostCount: 1)
        let start = ContinuousClock.now
        timings.sent(WorkItem(host: 0, item: 1, tryNumber: 0), at: start, profile: t4)
        timings.sent(WorkItem(host: 0, item: 2, tryNumber: 0), at: start + .milliseconds(1), profile: t4)
        #expect(timings.answered(host: 0, item: 2, tryNumber: 0, at: start + .milliseconds(3)) == nil)
        // The first one was never answered: once its timeout is over, a new probe is timed.
        let later = start + t4.initialRTTTimeout + .milliseconds(1)
        timings.sent(WorkItem(host: 0, item: 5, tryNumber: 1), at: later, profile: t4)
        #expect(timings.answered(host: 0, item: 5, tryNumber: 1, at: later + .milliseconds(4)) == .milliseconds(4))
    }
}
