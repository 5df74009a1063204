import PortgridCore
import Testing
@testable import ScanEngine

/// The UDP pacer against a Linux-like token bucket, on a manual clock: a stream of probes, errors
/// only while the bucket has a token, timeouts for silence.
@Suite struct RawPacerTests {
    struct Target {
        var limiter: RawFakeNetwork.Limiter
        var closed: Set<Int>
        var rtt: Duration = .milliseconds(1)
        /// Closed ports whose errors take longer than the pacer waits.
        var slow: Set<Int> = []
    }

    struct Outcome {
        var closed: Set<Int>
        var silent: Set<Int>
        var seconds: Double
        var rate: Double?
        var requiredSilentTries: Int
    }

    /// Runs a pacer to its end.
    func run(_ items: [Int], _ target: Target, burstHint: Int = 6, floor: Double? = nil) -> Outcome {
        let start = ContinuousClock.now
        var now = start
        var target = target
        var pacer = ICMPRateLimitPacer(host: 0, items: items, now: now, maxRetries: 6, burstHint: burstHint)
        pacer.setFloor(floor)
        var replies: [(at: ContinuousClock.Instant, item: Int)] = []
        var closed = Set<Int>(), silent = Set<Int>()
        var rate: Double?
        let timeout = Duration.milliseconds(100)
        var steps = 0
        while pacer.phase != .done && pacer.phase != .released && steps < 1_000_000 {
            steps += 1
            for reply in replies where reply.at <= now {
                pacer.icmpError(at: now)
                closed.insert(reply.item)
                pacer.answered(item: reply.item)
            }
            replies.removeAll { $0.at <= now }
            silent.formUnion(pacer.expire(now: now))
            while let probe = pacer.nextProbe(now: now, timeout: timeout) {
                if target.closed.contains(probe.item), target.limiter.allow(now + target.rtt / 2) {
                    let delay = target.slow.contains(probe.item) ? .milliseconds(300) : target.rtt
                    replies.append((now + delay, probe.item))
                }
            }
            if rate == nil { rate = pacer.rate }
            let next = [pacer.nextEvent(timeout: timeout), replies.map(\.at).min()].compactMap { $0 }.min()
            now = max(now + .microseconds(10), next ?? now + .milliseconds(1))
        }
        silent.formUnion(pacer.expire(now: now))
        return Outcome(closed: closed, silent: silent, seconds: (now - start).inSeconds, rate: rate,
                       requiredSilentTries: pacer.requiredSilentTries)
    }

    @Test func measuresALinuxLimiterAndFindsEveryClosedPort() {
        // The bucket is spent (the passes before the pacer emptied it).
        var limiter = RawFakeNetwork.Limiter(rate: 1, burst: 6)
        limiter.tokens = 0
        let closed = Set(0..<20), silent = Set(20..<25)
        let outcome = run(Array(0..<25), Target(limiter: limiter, closed: closed))
        let (seconds, rate) = (outcome.seconds, outcome.rate)
        #expect(outcome.closed == closed)
        #expect(outcome.silent == silent)
        #expect(outcome.requiredSilentTries == 1)
        #expect(rate.map { $0 > 0.8 && $0 <= 1.05 } == true, "rate \(String(describing: rate))")
        // 20 errors at one a second, paced at 85% of it after a couple of seconds of measuring.
        #expect(seconds > 18 && seconds < 30, "\(seconds) s")
    }

    @Test("a --min-rate floor keeps a rate-limited host's pacing from going slower than the floor")
    func theFloorHoldsAgainstTheLimiter() {
        var limiter = RawFakeNetwork.Limiter(rate: 1, burst: 6)
        limiter.tokens = 0
        let items = Array(0..<200)
        let paced = run(items, Target(limiter: limiter, closed: Set(0..<150)))
        let floored = run(items, Target(limiter: limiter, closed: Set(0..<150)), floor: 100)
        #expect(paced.seconds > 60, "paced at the host's one error a second: \(paced.seconds) s")
        // 200 ports at 100 a second: two seconds and the timeouts, once a stream at the floor shows the
        // limiter slower than it (no waiting out the measurement).
        #expect(floored.seconds < 4, "\(floored.seconds) s")
        #expect(floored.closed.union(floored.silent) == Set(items), "every port still gets a state")
    }

    @Test func measuresAFastLimiter() {
        var limiter = RawFakeNetwork.Limiter(rate: 1000, burst: 50)
        limiter.tokens = 0
        let closed = Set(0..<2000)
        let outcome = run(Array(0..<2000), Target(limiter: limiter, closed: closed), burstHint: 50)
        let (seconds, rate) = (outcome.seconds, outcome.rate)
        #expect(outcome.closed == closed && outcome.silent.isEmpty)
        #expect(rate.map { $0 > 800 && $0 < 1100 } == true, "rate \(String(describing: rate))")
        #expect(seconds < 4, "\(seconds) s")
    }

    @Test func releasesAHostThatIsNotLimited() {
        let limiter = RawFakeNetwork.Limiter(rate: 1_000_000, burst: 1_000_000)
        var pacer = ICMPRateLimitPacer(host: 0, items: Array(0..<5000), now: .now, maxRetries: 6)
        var now = ContinuousClock.now
        var target = Target(limiter: limiter, closed: Set(0..<5000))
        var steps = 0
        while pacer.phase == .measuring && steps < 100_000 {
            steps += 1
            while let probe = pacer.nextProbe(now: now, timeout: .milliseconds(100)) {
                if target.limiter.allow(now) {
                    pacer.icmpError(at: now)
                    // Answers arrive but the item stays pending: a stream of repeats.
                    _ = probe
                }
            }
            now = pacer.nextEvent(timeout: .milliseconds(100)) ?? now + .milliseconds(1)
        }
        #expect(pacer.phase == .released)
    }

    @Test func silenceAlone_isSilence() {
        let limiter = RawFakeNetwork.Limiter(rate: 1, burst: 6)
        let outcome = run(Array(0..<10), Target(limiter: limiter, closed: []))
        // Nothing answers the stream at all: the passes finish these ports (released, none decided here).
        #expect(outcome.closed.isEmpty && outcome.silent.isEmpty)
    }

    @Test func aPortGivenUpThatAnswersLateRaisesTheBar() {
        var limiter = RawFakeNetwork.Limiter(rate: 1, burst: 6)
        limiter.tokens = 0
        // Port 3 is closed but its errors come after the pacer's wait; ports 20..<23 are silent.
        let target = Target(limiter: limiter, closed: Set(0..<10), slow: [3])
        let outcome = run(Array(0..<10) + Array(20..<23), target)
        #expect(outcome.requiredSilentTries >= 2)
        #expect(outcome.closed == Set(0..<10))
        #expect(Set(20..<23).isSubset(of: outcome.silent))
    }
}
