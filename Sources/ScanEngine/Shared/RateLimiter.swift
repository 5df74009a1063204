/// A token bucket for `--max-rate`: probes per second with a small burst, fed the current time by
/// the caller so it is tested without sleeping. nil rate = unlimited.
///
/// Any positive rate is safe here, however tiny or huge: the bucket's arithmetic is in Doubles and
/// every conversion to an integer or a Duration is clamped first (a rate of 1e-12 once asked for a
/// delay of 3e19 ns and trapped converting it to Int64).
public struct RateLimiter: Sendable {
    /// The longest delay `delayUntilNext` reports; callers wake, find no token, and ask again.
    public static let longestDelay = Duration.seconds(3600)

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
        let seconds = elapsed.inSeconds
        let burst = Swift.max(1, rate * burstSeconds)
        tokens = Swift.min(burst, tokens + seconds * rate)
        let granted = Swift.min(wanted, Int(Swift.min(tokens, Double(wanted))))
        tokens -= Double(granted)
        return Swift.max(0, granted)
    }

    /// Probes taken but not sent (nothing was due) go back to the bucket.
    public mutating func giveBack(_ unused: Int) {
        guard rate != nil, unused > 0 else { return }
        tokens += Double(unused)
    }

    /// How long until one more probe may go (zero when one may go now).
    public func delayUntilNext() -> Duration {
        guard let rate, tokens < 1 else { return .zero }
        let seconds = (1 - tokens) / rate
        guard seconds.isFinite, seconds < 3600 else { return Self.longestDelay }
        // Rounded up: rounded down, a caller woke a hair before the token, found none, and was told
        // a delay of zero, again and again (a busy loop until the clock moved on by itself).
        return .nanoseconds(Int64((seconds * 1e9).rounded(.up)))
    }
}
