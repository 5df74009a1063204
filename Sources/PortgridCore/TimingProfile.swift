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
    public var hostTimeout: Duration?
    /// Probes per second; nil = no floor / no cap.
    public var minRate: Double?
    public var maxRate: Double?

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

    /// `-T4`, `4`, `T4` or `aggressive`.
    public static func parse(_ text: String) throws(SpecError) -> TimingProfile {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        if body.first == "T" || body.first == "t" { body = body.dropFirst() }
        if body.count == 1, let level = Int(body), (0...5).contains(level) { return template(level) }
        if let level = names.firstIndex(of: text.lowercased()) { return template(level) }
        throw .invalidTiming(text)
    }

    /// Keeps the user's overrides when switching template (the TUI's 0..5 keys).
    public func switching(to level: Int) -> TimingProfile {
        var next = Self.template(level)
        next.minRate = minRate
        next.maxRate = maxRate
        if maxRetries != Self.template(self.level).maxRetries { next.maxRetries = maxRetries }
        if let hostTimeout, hostTimeout != Self.template(self.level).hostTimeout { next.hostTimeout = hostTimeout }
        return next
    }

    public static func parseRate(_ text: String) throws(SpecError) -> Double {
        guard let value = Double(text), value.isFinite else {
            throw .invalidRate(text, why: "not a number")
        }
        guard value > 0 else { throw .invalidRate(text, why: "must be greater than 0") }
        return value
    }

    /// nmap time specs: `500ms`, `2s`, `5m`, `1h`, or bare seconds.
    public static func parseDuration(_ text: String) throws(SpecError) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            if let value = Double(text.dropLast(suffix.count)), value >= 0, value.isFinite {
                return .milliseconds(Int64(value * scale * 1000))
            }
            throw .invalidDuration(text)
        }
        guard let value = Double(text), value >= 0, value.isFinite else { throw .invalidDuration(text) }
        return .milliseconds(Int64(value * 1000))
    }
}
