import Testing
@testable import ScanEngine

/// Reading a host's ICMP error rate off a probe stream, from send and arrival times alone.
@Suite struct ICMPRateEstimatorTests {
    let t0 = ContinuousClock.now

    /// A probe every `interval` for `span`.
    func stream(every interval: Duration, for span: Duration) -> [ContinuousClock.Instant] {
        var sends: [ContinuousClock.Instant] = []
        var at = t0
        while at - t0 < span {
            sends.append(at)
            at += interval
        }
        return sends
    }

    @Test("errors one a second under a stream of a hundred probes a second read as a limiter of one a second")
    func aSlowLimiterIsTimedOverItsGaps() throws {
        let sends = stream(every: .milliseconds(10), for: .seconds(4))
        let arrivals = (0..<4).map { t0 + .seconds($0) + .milliseconds(1) }
        let rate = try #require(ICMPRateEstimator.limiterRate(arrivals: arrivals, sends: sends))
        #expect(abs(rate - 1) < 0.05)
    }

    @Test("one error is not enough to time anything")
    func oneErrorSaysNothing() {
        #expect(ICMPRateEstimator.limiterRate(arrivals: [t0], sends: stream(every: .milliseconds(10), for: .seconds(1))) == nil)
    }

    @Test("errors answering probe after probe are leftover tokens, not a limiter's pace")
    func backToBackAnswersAreNotTimed() {
        // Every probe answered: no gap holds two probes, so there is no limiter rate to read.
        let sends = stream(every: .milliseconds(10), for: .milliseconds(200))
        let arrivals = sends.map { $0 + .milliseconds(1) }
        #expect(ICMPRateEstimator.limiterRate(arrivals: arrivals, sends: sends) == nil)
    }
}
