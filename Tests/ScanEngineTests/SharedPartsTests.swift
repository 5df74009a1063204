import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct RTTEstimatorTests {
    @Test func noSamplesUsesTheInitialTimeout() {
        #expect(RTTEstimator().timeout(.normal) == TimingProfile.normal.initialRTTTimeout)
    }

    @Test func firstSampleSetsSRTTAndHalfVariance() {
        var estimator = RTTEstimator()
        estimator.observe(.milliseconds(200))
        #expect(estimator.smoothed == .milliseconds(200))
        #expect(estimator.variance == .milliseconds(100))
        #expect(estimator.timeout(.normal) == .milliseconds(600))
    }

    @Test func followsRFC6298() {
        var estimator = RTTEstimator()
        estimator.observe(.milliseconds(200))
        estimator.observe(.milliseconds(400))
        // RTTVAR = 3/4·100 + 1/4·200 = 125; SRTT = 7/8·200 + 1/8·400 = 225
        #expect(estimator.variance == .milliseconds(125))
        #expect(estimator.smoothed == .milliseconds(225))
        #expect(estimator.samples == 2)
    }

    @Test func heldInsideTheProfileBounds() {
        var fast = RTTEstimator()
        for _ in 0..<20 { fast.observe(.microseconds(30)) }
        #expect(fast.timeout(.normal) == TimingProfile.normal.minRTTTimeout)
        var slow = RTTEstimator()
        slow.observe(.seconds(30))
        #expect(slow.timeout(.normal) == TimingProfile.normal.maxRTTTimeout)
    }

    @Test func retransmitsSoonerThanTheVerdictWaits() {
        var fast = RTTEstimator()
        for _ in 0..<20 { fast.observe(.microseconds(30)) }
        #expect(fast.retransmitTimeout(.template(4)) == TimingProfile.template(4).minRTTTimeout / 10)
        #expect(fast.timeout(.template(4)) == TimingProfile.template(4).minRTTTimeout)
    }

    @Test func retransmitWaitFollowsSlowRoundTrips() {
        var estimator = RTTEstimator()
        #expect(estimator.retransmitTimeout(.normal) == TimingProfile.normal.initialRTTTimeout)
        estimator.observe(.milliseconds(200))
        #expect(estimator.retransmitTimeout(.normal) == .milliseconds(600))
        estimator.observe(.seconds(30))
        #expect(estimator.retransmitTimeout(.normal) == TimingProfile.normal.maxRTTTimeout)
    }
}

@Suite struct RateLimiterTests {
    let start = ContinuousClock.now

    @Test func unlimitedGrantsEverything() {
        var limiter = RateLimiter(rate: nil, now: start)
        #expect(limiter.take(10_000, now: start) == 10_000)
        #expect(limiter.delayUntilNext() == .zero)
    }

    @Test func grantsAtTheRateOverTime() {
        var limiter = RateLimiter(rate: 1000, now: start)
        var granted = limiter.take(1000, now: start)
        for step in 1...100 {
            granted += limiter.take(1000, now: start + .milliseconds(step))
        }
        // 100 ms at 1000/s: 100 probes, plus the one token it starts with.
        #expect((99...101).contains(granted))
    }

    @Test func burstIsBounded() {
        var limiter = RateLimiter(rate: 1000, now: start)
        _ = limiter.take(1, now: start)
        // A long idle gap does not bank more than the burst (10 ms worth).
        #expect(limiter.take(1000, now: start + .seconds(5)) == 10)
    }

    @Test func saysHowLongUntilTheNextProbe() {
        var limiter = RateLimiter(rate: 100, now: start)
        #expect(limiter.take(5, now: start) == 1)
        let delay = limiter.delayUntilNext()
        #expect(delay > .milliseconds(9) && delay <= .milliseconds(10))
    }

    @Test("a sender that sleeps the delay the limiter names is granted a probe when it wakes, at any rate")
    func wakingAfterTheDelayGrantsAProbe() {
        for rate in [100.0, 10_000, 40_000, 123_457, 1_000_000] {
            var limiter = RateLimiter(rate: rate, now: start)
            var now = start, empty = 0
            for _ in 0 ..< 2_000 {
                let granted = limiter.take(1, now: now)
                if granted == 0 { empty += 1 }
                now += limiter.delayUntilNext()
            }
            // A delay rounded down to the nanosecond woke the sender a hair early, to no token and a
            // delay of zero: the raw engine's loop then waited until now, again and again.
            #expect(empty == 0, "rate \(rate): \(empty) wakes without a token")
        }
    }

    @Test func rateCanChangeMidScan() {
        var limiter = RateLimiter(rate: 10, now: start)
        _ = limiter.take(1, now: start)
        limiter.setRate(nil)
        #expect(limiter.take(500, now: start + .milliseconds(1)) == 500)
    }
}

@Suite struct ProgressMeterTests {
    let start = ContinuousClock.now

    @Test func reportsAboutEveryInterval() {
        var meter = ProgressMeter(total: 100, started: start)
        #expect(meter.report(now: start + .milliseconds(100), completed: 5, probesSent: 5) == nil)
        let first = meter.report(now: start + .milliseconds(250), completed: 10, probesSent: 50)
        #expect(first?.completed == 10)
        #expect(first?.total == 100)
        #expect(first?.rate == 200)
        #expect(meter.report(now: start + .milliseconds(300), completed: 11, probesSent: 60) == nil)
        let second = meter.report(now: start + .milliseconds(500), completed: 20, probesSent: 100)
        #expect(second?.rate == 200)
        #expect(second?.elapsed == .milliseconds(500))
    }

    @Test("a meter made for a later hostgroup counts its rate from the probes sent since it started, its elapsed time and ETA from the scan's start")
    func laterGroupsMeter() throws {
        // The first group took 2 s and sent 100,000 probes, half the scan's work done.
        var meter = ProgressMeter(total: 200, started: start, now: start + .seconds(2), probesSent: 100_000)
        let due = meter.report(now: start + .milliseconds(2_250), completed: 110, probesSent: 100_500)
        let report = try #require(due)
        #expect(report.rate == 2_000, "500 probes in a quarter second")
        #expect(report.elapsed == .milliseconds(2_250))
        #expect(report.eta == .seconds(2.25 * 90 / 110))
    }

    @Test func finalReportsRegardless() {
        var meter = ProgressMeter(total: 10, started: start)
        #expect(meter.final(now: start + .milliseconds(1), completed: 10, probesSent: 10).fraction == 1)
    }
}
