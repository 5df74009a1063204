import PortgridCore
import Testing
@testable import ScanEngine

/// `--min-rate` on a manual clock: the floor's schedule, and the floor holding in the connect
/// scheduler and the raw engine's rate where the adaptive timing would go slower.
@Suite struct RateFloorTests {
    let t0 = ContinuousClock.now

    @Test("a floor is owed probes at its rate, and sends count against them")
    func owesAtItsRate() {
        var floor = RateFloor(rate: 100, now: t0)
        #expect(floor.owed(now: t0) == 0)
        #expect(floor.owed(now: t0 + .milliseconds(50)) == 5)
        floor.sent(5, now: t0 + .milliseconds(50))
        #expect(floor.owed(now: t0 + .milliseconds(50)) == 0)
        #expect(floor.delayUntilOwed(now: t0 + .milliseconds(50)) == .milliseconds(10))
    }

    @Test("sending ahead of the floor earns at most a second of credit; a stall owes at most a tenth")
    func creditAndDebtAreBounded() {
        var floor = RateFloor(rate: 100, now: t0)
        floor.sent(10_000, now: t0)
        // 100 probes of credit, not 10,000: after 1.05 s the floor is owed again.
        #expect(floor.owed(now: t0 + .milliseconds(1050)) == 5)
        var stalled = RateFloor(rate: 100, now: t0)
        #expect(stalled.owed(now: t0 + .seconds(60)) == 10, "no burst of 6,000 after a minute of nothing to send")
        stalled.idle(now: t0 + .seconds(61))
        #expect(stalled.owed(now: t0 + .seconds(61)) == 0)
    }

    @Test("no floor is never owed anything")
    func noFloor() {
        var floor = RateFloor(rate: nil, now: t0)
        #expect(floor.owed(now: t0 + .seconds(10)) == 0)
        #expect(floor.nextDue == nil)
    }

    @Test("the user's limits bound the adaptive rate: the floor lifts it, the cap wins where they cross")
    func boundedRate() {
        var timing = TimingProfile.normal
        timing.minRate = 500
        #expect(timing.bounded(rate: 2.5) == 500)
        #expect(timing.bounded(rate: nil) == nil, "no adaptive limit: as fast as it goes")
        timing.maxRate = 300
        #expect(timing.bounded(rate: 2.5) == 300)
        #expect(timing.bounded(rate: nil) == 300)
    }

    @Test("the raw engine's send rate under --scan-delay is held at the --min-rate floor")
    func rawRateHoldsTheFloor() {
        var timing = TimingProfile.template(4)
        timing.scanDelay = .milliseconds(400)
        #expect(RawProbeEngine.effectiveRate(timing, hosts: 1) == 2.5)
        timing.minRate = 1000
        #expect(RawProbeEngine.effectiveRate(timing, hosts: 1) == 1000)
    }

    /// Probes a connect scheduler starts in `seconds` on a manual clock, every port refusing at once.
    func connectsStarted(_ timing: TimingProfile, seconds: Int) -> Int {
        let plan = ScanPlan(technique: .connect, hosts: [IPAddress("198.18.0.2")!], ports: PortSet([1...60_000]),
                            timing: timing)
        var s = ConnectScheduler(plan: plan, seed: 3, walk: ProbeCursor(count: UInt64(plan.totalWork)), share: .whole,
                                 fileLimit: 4096, now: t0)
        var now = t0, started = 0
        let end = t0 + .seconds(seconds)
        var turns = 0
        while now < end && turns < 1_000_000 {
            turns += 1
            var allowed = s.burstSize(now: now, closesPending: 0)
            var sent = 0
            while allowed > 0, let probe = s.nextProbe(now: now) {
                _ = s.launched(probe, slot: SocketDescriptor(rawValue: 10), result: .failed(.connectionRefused, icmp: nil),
                               now: now)
                allowed -= 1
                sent += 1
            }
            s.burstEnded(sent: sent, now: now)
            started += sent
            now += Swift.max(.microseconds(100), s.waitTime(now: now, paused: false, longest: .milliseconds(20)))
        }
        return started
    }

    @Test("a connect scan slowed by --scan-delay still starts --min-rate connects a second")
    func connectHoldsTheFloor() {
        var timing = TimingProfile.template(4)
        timing.maxRetries = 0
        timing.scanDelay = .milliseconds(400)
        let slow = connectsStarted(timing, seconds: 2)
        #expect(slow <= 6, "one connect per 400 ms: \(slow)")
        timing.minRate = 200
        let floored = connectsStarted(timing, seconds: 2)
        #expect(floored >= 380 && floored <= 420, "200 a second for two seconds: \(floored)")
    }

    @Test("the floor does not lift the connect scan past --max-rate")
    func capStillWins() {
        var timing = TimingProfile.template(4)
        timing.maxRetries = 0
        timing.scanDelay = .milliseconds(400)
        timing.minRate = 200
        timing.maxRate = 50
        let capped = connectsStarted(timing, seconds: 2)
        #expect(capped <= 102, "\(capped)")
    }
}
