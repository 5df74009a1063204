import PortgridCore
import Testing
@testable import ScanEngine

/// The signs of an ICMP error limiter after a UDP first pass, decided without a network.
@Suite struct RawLimitWatchTests {
    let start = ContinuousClock.now

    func error(host: Int, item: Int, tryNumber: Int = 0) -> PortAnswer {
        PortAnswer(host: host, item: item, tryNumber: tryNumber, state: .closed, reason: .portUnreach, ttl: 64,
                   isICMPError: true)
    }

    /// Two hosts of 10 ports; each answered ports 0...2 with errors in the first pass.
    func afterFirstPass() -> (ICMPLimitWatch, PassScheduler) {
        var watch = ICMPLimitWatch(hostCount: 2)
        var scheduler = PassScheduler(hostCount: 2, itemCount: 10, maxRetries: 6, seed: 1)
        while scheduler.nextProbe() != nil {}
        for host in 0..<2 {
            for item in 0..<3 {
                let answer = error(host: host, item: item)
                watch.observe(answer, at: start)
                if scheduler.recordAnswer(host: host, item: item, tryNumber: 0) { watch.observeFirst(answer) }
            }
        }
        return (watch, scheduler)
    }

    @Test func canariesGoToPortsThatAnsweredAndSpentLimitersGetPaced() {
        var (watch, scheduler) = afterFirstPass()
        #expect(!watch.needsRefillWait(scheduler))
        let step = watch.firstPassEnded(now: start, scheduler: &scheduler, maxRetries: 6) { _ in .milliseconds(100) }
        guard case .send(let canaries, let deadline) = step else { Issue.record("no canaries: \(step)"); return }
        #expect(canaries.count == 6)
        #expect(Set(canaries.map(\.item)) == [0, 1, 2])
        #expect(canaries.allSatisfy { $0.tryNumber == ICMPLimitWatch.canaryTry })
        #expect(deadline == start + .milliseconds(100))
        // Host 0 answers all three canaries; host 1 only one: its limiter is spent.
        for item in 0..<3 { watch.observe(error(host: 0, item: item, tryNumber: ICMPLimitWatch.canaryTry), at: start) }
        watch.observe(error(host: 1, item: 0, tryNumber: ICMPLimitWatch.canaryTry), at: start)
        #expect(watch.firstPassEnded(now: start + .milliseconds(50), scheduler: &scheduler, maxRetries: 6) { _ in .zero }
                == .waiting(until: deadline))
        #expect(watch.firstPassEnded(now: deadline, scheduler: &scheduler, maxRetries: 6) { _ in .zero } == .over)
        #expect(watch.pacers.keys.sorted() == [1])
        #expect(scheduler.isDetached(1) && !scheduler.isDetached(0))
        #expect(watch.pendingCount == 7)
    }

    @Test func aHostWithoutASingleErrorWaitsForARefill() {
        var watch = ICMPLimitWatch(hostCount: 1)
        var scheduler = PassScheduler(hostCount: 1, itemCount: 5, maxRetries: 6, seed: 2)
        while scheduler.nextProbe() != nil {}
        #expect(watch.needsRefillWait(scheduler))
        // Nothing answered with an error: no canary to send, the pass may close.
        #expect(watch.firstPassEnded(now: start, scheduler: &scheduler, maxRetries: 6) { _ in .zero } == .over)
        #expect(watch.pacers.isEmpty)
    }

    @Test func aRetransmissionThatDrawsANewErrorStartsThePacer() {
        var (watch, scheduler) = afterFirstPass()
        _ = watch.firstPassEnded(now: start, scheduler: &scheduler, maxRetries: 6) { _ in .zero }
        // Every canary answered: no limiter in sight yet.
        for host in 0..<2 {
            for item in 0..<3 { watch.observe(error(host: host, item: item, tryNumber: ICMPLimitWatch.canaryTry), at: start) }
        }
        #expect(watch.firstPassEnded(now: start, scheduler: &scheduler, maxRetries: 6) { _ in .zero } == .over)
        #expect(watch.pacers.isEmpty)
        _ = scheduler.endPass()
        let late = error(host: 1, item: 7, tryNumber: 1)
        watch.observe(late, at: start)
        if scheduler.recordAnswer(host: 1, item: 7, tryNumber: 1) { watch.observeFirst(late) }
        watch.laterPassEnded(now: start, scheduler: &scheduler, maxRetries: 6)
        #expect(watch.pacers.keys.sorted() == [1])
        #expect(watch.pendingCount == 6)
    }
}
