import PortgridCore
import Testing
@testable import ScanEngine

/// Which scans watch the target's ICMP error limiter, and what a stealth scan's watch does
/// differently from UDP's: where no error is ever seen, it adds no wait.
@Suite struct StealthPacingTests {
    @Test("UDP, FIN, NULL and Xmas watch the ICMP limiter; connect, SYN, ACK and ping, where silence and an error give the same state, do not")
    func watchedTechniques() {
        #expect(Technique.allCases.filter(ICMPLimitWatch.watches) == [.udp, .fin, .null, .xmas])
    }

    @Test("a stealth scan's watch never waits for a refill for a host that sent no error; UDP's does")
    func noRefillWaitWithoutErrors() {
        let scheduler = PassScheduler(hostCount: 2, itemCount: 10, maxRetries: 2, seed: 1)
        #expect(ICMPLimitWatch(hostCount: 2, refillsErrorlessHosts: false).needsRefillWait(scheduler) == false)
        #expect(ICMPLimitWatch(hostCount: 2, refillsErrorlessHosts: true).needsRefillWait(scheduler))
    }

    @Test("a stealth pass with no ICMP error waits only the retransmit time before its next pass, as an unwatched one does")
    func noFullWaitWithoutErrors() {
        let t4 = TimingProfile.template(4)
        func firstWait(watch: Bool, refills: Bool) -> Duration? {
            var passes = RawPasses(scheduler: PassScheduler(hostCount: 1, itemCount: 4, maxRetries: 3, seed: 1),
                                   profile: t4, watchesICMPLimits: watch, refillsErrorlessHosts: refills)
            let start = ContinuousClock.now
            while passes.nextPassProbe(at: start) != nil {}
            passes.passProbesLeft(at: start)
            // One port answers with a reset after 2 ms: a round trip to time retransmissions by.
            _ = passes.answered(PortAnswer(host: 0, item: 0, tryNumber: 0, state: .closed, reason: .reset, ttl: 64,
                                           isICMPError: false), at: start + .milliseconds(2))
            passes.startWait(sendsFinished: start, now: start)
            return passes.passDeadline.map { $0 - start }
        }
        let unwatched = firstWait(watch: false, refills: false)
        #expect(unwatched != nil)
        #expect(firstWait(watch: true, refills: false) == unwatched)
        // UDP's first pass end reads the limiter's signs, so it waits the full timeout.
        #expect(firstWait(watch: true, refills: true)! > unwatched!)
    }

    @Test("a host with one item has one timed probe: a second probe to it is not timed while the first is out")
    func oneSlotForOneItem() {
        let t4 = TimingProfile.template(4)
        var timings = HostTimings(hostCount: 3, itemCount: 1)
        let start = ContinuousClock.now
        timings.sent(WorkItem(host: 1, item: 0, tryNumber: 0), at: start, profile: t4)
        timings.sent(WorkItem(host: 1, item: 0, tryNumber: 1), at: start + .milliseconds(1), profile: t4)
        #expect(timings.answered(host: 1, item: 0, tryNumber: 1, at: start + .milliseconds(3)) == nil)
        #expect(timings.answered(host: 1, item: 0, tryNumber: 0, at: start + .milliseconds(3)) == .milliseconds(3))
        // Other hosts' slots are their own.
        timings.sent(WorkItem(host: 2, item: 0, tryNumber: 0), at: start, profile: t4)
        #expect(timings.answered(host: 2, item: 0, tryNumber: 0, at: start + .microseconds(250)) == .microseconds(250))
    }
}
