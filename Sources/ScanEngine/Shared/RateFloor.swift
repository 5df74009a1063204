import PortgridCore

/// `--min-rate`: the probes a floor of so many per second is owed, fed every send and the current
/// time by the caller so it is tested on a manual clock. nil rate = no floor.
///
/// nmap's meaning: the adaptive timing (the congestion window, `--scan-delay`, a UDP host's ICMP
/// pacing) may slow a scan down, but not below the floor; it may always go faster. The floor is a
/// schedule, not an average over the whole scan: sending ahead of it earns at most `creditSeconds`
/// of credit, so a fast start does not excuse a long stall later, and a stall (nothing to send,
/// a pause) runs up at most `debtSeconds` of debt, so the scan does not burst to catch up on it.
public struct RateFloor: Sendable {
    public static let creditSeconds = 1.0
    public static let debtSeconds = 0.1

    public private(set) var rate: Double?
    /// Probes owed to the floor: positive = behind it, negative = ahead of it.
    private var owedProbes = 0.0
    private var last: ContinuousClock.Instant

    public init(rate: Double?, now: ContinuousClock.Instant) {
        self.rate = rate
        last = now
    }

    /// A new floor (a key in the TUI) counts from the next call; what was owed or earned is kept.
    public mutating func setRate(_ newRate: Double?) {
        rate = newRate
        if newRate == nil { owedProbes = 0 }
    }

    /// Whole probes the floor wants sent now, whatever the adaptive timing says.
    public mutating func owed(now: ContinuousClock.Instant) -> Int {
        advance(now)
        guard owedProbes >= 1 else { return 0 }
        return Int(Swift.min(owedProbes, Double(Int32.max)))
    }

    /// `count` probes went out at `now` (by any path: they all count toward the floor).
    public mutating func sent(_ count: Int, now: ContinuousClock.Instant) {
        advance(now)
        guard let rate else { return }
        owedProbes = Swift.max(-rate * Self.creditSeconds, owedProbes - Double(count))
    }

    /// Nothing could be sent (no work, paused): the time since the last call is not owed.
    public mutating func idle(now: ContinuousClock.Instant) {
        advance(now)
        owedProbes = Swift.min(owedProbes, 0)
    }

    /// How long until the floor is owed one more probe (zero when it is owed one now).
    public func delayUntilOwed(now: ContinuousClock.Instant) -> Duration {
        guard let due = nextDue else { return RateLimiter.longestDelay }
        return Swift.max(.zero, due - now)
    }

    /// When the floor is next owed a probe, nil without a floor.
    public var nextDue: ContinuousClock.Instant? {
        guard let rate, rate > 0 else { return nil }
        guard owedProbes < 1 else { return last }
        let seconds = Swift.min((1 - owedProbes) / rate, RateLimiter.longestDelay.inSeconds)
        return last + .nanoseconds(Int64(seconds * 1e9))
    }

    private mutating func advance(_ now: ContinuousClock.Instant) {
        defer { last = Swift.max(last, now) }
        guard let rate, now > last else { return }
        let cap = Swift.max(1, rate * Self.debtSeconds)
        owedProbes = Swift.min(cap, owedProbes + (now - last).inSeconds * rate)
    }
}
