/// nmap's timing templates T0..T5 with their documented values, plus the user's overrides.
public struct TimingProfile: Hashable, Sendable {
    public var level: Int
    public var initialRTTTimeout: Duration
    public var minRTTTimeout: Duration
    public var maxRTTTimeout: Duration
    public var maxRetries: Int
    /// Pause between probes to one host (T0..T2 are serial and slow on purpose).
    public var scanDelay: Duration
    public var maxParallelism: Int?
    /// `--min-parallelism`: connects in flight the congestion window keeps at least (connect scan).
    public var minParallelism: Int?
    public var hostTimeout: Duration?
    /// Probes per second; nil = no floor / no cap.
    public var minRate: Double?
    public var maxRate: Double?
    /// `--max-hostgroup`: targets are scanned in groups of at most this many, one group after the
    /// other (discovery, then ports, per group), as nmap does; nil = every target in one group.
    public var maxHostgroup: Int?
    /// `--min-hostgroup`: kept for the record (reports, resume); groups are as large as
    /// `maxHostgroup` allows, so any minimum up to it is always met.
    public var minHostgroup: Int?

    public static let names = ["paranoid", "sneaky", "polite", "normal", "aggressive", "insane"]

    public static func template(_ level: Int) -> TimingProfile {
        switch level {
        case 0: TimingProfile(level: 0, initial: .seconds(300), min: .milliseconds(100), max: .seconds(300),
                              retries: 10, delay: .seconds(300), parallelism: 1)
        case 1: TimingProfile(level: 1, initial: .seconds(15), min: .milliseconds(100), max: .seconds(15),
                              retries: 10, delay: .seconds(15), parallelism: 1)
        case 2: TimingProfile(level: 2, initial: .seconds(1), min: .milliseconds(100), max: .seconds(10),
                              retries: 10, delay: .milliseconds(400), parallelism: 1)
        case 4: TimingProfile(level: 4, initial: .milliseconds(500), min: .milliseconds(100), max: .milliseconds(1250),
                              retries: 6, delay: .zero, parallelism: nil)
        case 5: TimingProfile(level: 5, initial: .milliseconds(250), min: .milliseconds(50), max: .milliseconds(300),
                              retries: 2, delay: .zero, parallelism: nil, hostTimeout: .seconds(900))
        default: TimingProfile(level: 3, initial: .seconds(1), min: .milliseconds(100), max: .seconds(10),
                               retries: 10, delay: .zero, parallelism: nil)
        }
    }

    public static let normal = template(3)

    init(level: Int, initial: Duration, min: Duration, max: Duration, retries: Int, delay: Duration,
         parallelism: Int?, hostTimeout: Duration? = nil) {
        self.level = level
        initialRTTTimeout = initial
        minRTTTimeout = min
        maxRTTTimeout = max
        maxRetries = retries
        scanDelay = delay
        maxParallelism = parallelism
        self.hostTimeout = hostTimeout
    }

    public var name: String { Self.names[level] }

    /// `-T4`, `T4`, `4` or `aggressive`. A lone `-` is not stripped: `-T-1` must not run as `-T1`.
    public static func parse(_ text: String) throws(SpecError) -> TimingProfile {
        var body = Substring(text)
        if body.hasPrefix("-T") || body.hasPrefix("-t") { body = body.dropFirst(2) }
        else if body.first == "T" || body.first == "t" { body = body.dropFirst() }
        if body.count == 1, let level = Int(body), (0...5).contains(level) { return template(level) }
        if let level = names.firstIndex(of: text.lowercased()) { return template(level) }
        throw .invalidTiming(text)
    }

    /// Keeps the user's overrides when switching template (the TUI's 0..5 keys).
    public func switching(to level: Int) -> TimingProfile {
        var next = Self.template(level)
        next.minRate = minRate
        next.maxRate = maxRate
        next.minParallelism = minParallelism
        next.maxHostgroup = maxHostgroup
        next.minHostgroup = minHostgroup
        if maxRetries != Self.template(self.level).maxRetries { next.maxRetries = maxRetries }
        if let hostTimeout, hostTimeout != Self.template(self.level).hostTimeout { next.hostTimeout = hostTimeout }
        return next
    }

    /// What a rate the adaptive timing chose (nil: as fast as it goes) becomes under the user's
    /// limits: never below `--min-rate`, never above `--max-rate`, which wins where the two cross
    /// (the TUI can lower the cap under the floor; the command line refuses that).
    public func bounded(rate: Double?) -> Double? {
        var rate = rate
        if let minRate, let current = rate, current < minRate { rate = minRate }
        if let maxRate { rate = Swift.min(rate ?? maxRate, maxRate) }
        return rate
    }

    /// Probes per second that `--min-rate` and `--max-rate` accept: below one probe in about 17 minutes
    /// a scan never ends, above it no machine sends.
    public static let rateRange: ClosedRange<Double> = 0.001...100_000_000
    public static let retriesRange: ClosedRange<Int> = 0...50
    /// `--host-timeout` in seconds; 0 means none, as in nmap.
    public static let hostTimeoutRange: ClosedRange<Double> = 0...3_600_000

    public static func parseRate(_ text: String, flag: String = "--max-rate") throws(SpecError) -> Double {
        try FlagNumber.decimal(text, flag: flag, range: rateRange, unit: "probes per second")
    }

    public static func parseRetries(_ text: String) throws(SpecError) -> Int {
        try FlagNumber.integer(text, flag: "--max-retries", range: retriesRange)
    }

    /// nmap time specs (`500ms`, `2s`, `5m`, `1h`, bare seconds); `0` is no timeout (nil), as in nmap.
    /// A positive time under a millisecond is refused rather than rounded to "none".
    public static func parseHostTimeout(_ text: String) throws(SpecError) -> Duration? {
        let limit = try FlagNumber.duration(text, flag: "--host-timeout", range: hostTimeoutRange)
        if limit == .zero { return nil }
        guard limit >= .milliseconds(1) else {
            throw .invalidNumber(flag: "--host-timeout", value: text, expected: "give 0 (no timeout) or a time from 1ms to 1000h")
        }
        return limit
    }
}
