import PortgridCore

/// Reads a host's ICMP error rate off a probe stream: how fast its limiter hands out errors once the
/// stream has emptied its bucket. Pure: send and arrival times in, a rate (errors a second) out.
enum ICMPRateEstimator {
    typealias Instant = ContinuousClock.Instant

    /// The limiter's rate from a stream of probes (`sends`) and the errors it drew (`arrivals`),
    /// nil until there is enough to go on. Once the stream outruns the limiter, the host's bucket
    /// is empty and errors come one token apart, with unanswered probes between them; before that,
    /// tokens left over answer probe after probe. So walk back from the latest error over gaps that
    /// held two or more probes (limiter-paced), and divide errors by time over them: averaged over
    /// the span rather than gap by gap, since errors are timed when read and one late read makes
    /// the next gap look short.
    static func limiterRate(arrivals: [Instant], sends: [Instant]) -> Double? {
        guard arrivals.count >= 2 else { return nil }
        var gaps = 0
        var start = arrivals.count - 1
        while start > 0 && gaps < 32 {
            let probes = count(sends, after: arrivals[start - 1], upTo: arrivals[start])
            guard probes >= 2 else { break }
            gaps += 1
            start -= 1
        }
        let span = (arrivals[arrivals.count - 1] - arrivals[start]).inSeconds
        // One long gap is enough for a slow limiter (Linux: a second); a fast one is timed over
        // many, since then read-time jitter is a larger part of each.
        guard gaps >= 1, span > 0, span >= 0.5 || gaps >= 32 else { return nil }
        return Double(gaps) / span
    }

    /// How many of the ascending `times` fall in (low, high].
    private static func count(_ times: [Instant], after low: Instant, upTo high: Instant) -> Int {
        func firstIndex(above limit: Instant) -> Int {
            var lower = 0, upper = times.count
            while lower < upper {
                let middle = (lower + upper) / 2
                if times[middle] <= limit { lower = middle + 1 } else { upper = middle }
            }
            return lower
        }
        return firstIndex(above: high) - firstIndex(above: low)
    }
}
