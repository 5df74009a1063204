/// A token bucket for `--max-rate`: probes per second with a small burst, fed the current time by
/// the caller so it is tested without sleeping. nil rate = unlimited.
public struct RateLimiter: Sendable {
    public private(set) var rate: Double?
    private var tokens: Double
    private var last: ContinuousClock.Instant
    private let burstSeconds: Double

    public init(rate: Double?, now: ContinuousClock.Instant, burstSeconds: Double = 0.01) {
        self.rate = rate
        self.burstSeconds = burstSeconds
        tokens = 1
        last = now
    }

    public mutating func setRate(_ newRate: Double?) { rate = newRate }

    /// How many probes may go out now (at most `wanted`); they are taken from the bucket.
    public mutating func take(_ wanted: Int, now: ContinuousClock.Instant) -> Int {
        guard let rate else { return wanted }
        let elapsed = now - last
        last = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let burst = Swift.max(1, rate * burstSeconds)
        tokens = Swift.min(burst, tokens + seconds * rate)
        let granted = Swift.min(wanted, Int(tokens))
        tokens -= Double(granted)
        return Swift.max(0, granted)
    }

    /// How long until one more probe may go (zero when one may go now).
    public func delayUntilNext() -> Duration {
        guard let rate, tokens < 1 else { return .zero }
        return .nanoseconds(Int64((1 - tokens) / rate * 1e9))
    }
}
