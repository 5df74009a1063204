/// The TIMING AND PERFORMANCE flags as typed, and the one place they become a `TimingProfile`. The
/// command line fills it from its parsed options; the TUI's timing line (`T`) fills it from the words
/// a person types there, so a value means the same and is refused with the same sentence in both.
public struct TimingFlags: Equatable, Sendable {
    public var template: String?
    public var minParallelism: String?
    public var maxParallelism: String?
    public var initialRTTTimeout: String?
    public var minRTTTimeout: String?
    public var maxRTTTimeout: String?
    public var maxRetries: String?
    public var hostTimeout: String?
    public var scanDelay: String?
    public var maxScanDelay: String?
    public var minRate: String?
    public var maxRate: String?

    public init() {}

    /// Connects in flight `--min-parallelism` and `--max-parallelism` accept.
    public static let parallelismRange: ClosedRange<Int> = 1...65_535
    /// RTT timeouts in seconds: a millisecond up to a thousand hours (as `--host-timeout`).
    public static let rttRange: ClosedRange<Double> = 0.001...3_600_000
    /// `--scan-delay` and `--max-scan-delay` in seconds; 0 is no delay.
    public static let delayRange: ClosedRange<Double> = 0...3_600_000

    /// The long flags a timing line takes, each with the field it sets (`--rate` is masscan's
    /// spelling of `--max-rate`, as on the command line).
    static var longFlags: [(name: String, field: WritableKeyPath<TimingFlags, String?>)] { [
        ("--min-parallelism", \.minParallelism), ("--max-parallelism", \.maxParallelism),
        ("--initial-rtt-timeout", \.initialRTTTimeout), ("--min-rtt-timeout", \.minRTTTimeout),
        ("--max-rtt-timeout", \.maxRTTTimeout), ("--max-retries", \.maxRetries), ("--host-timeout", \.hostTimeout),
        ("--scan-delay", \.scanDelay), ("--max-scan-delay", \.maxScanDelay), ("--min-rate", \.minRate),
        ("--max-rate", \.maxRate), ("--rate", \.maxRate),
    ] }

    /// The flags of a line typed in the TUI, in the command line's spellings: `-T4`, `-T 4`,
    /// `--max-rate 500`, `--max-rate=500`. A word that is no timing flag, or a flag without its
    /// value, is refused in one sentence naming it.
    public init(parsing line: String) throws(SpecError) {
        self.init()
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)[...]
        while let word = words.popFirst() {
            var name = word
            var value: String?
            if let equals = word.firstIndex(of: "="), word.hasPrefix("--") {
                name = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            } else if word.hasPrefix("-T"), word.count > 2 {
                name = "-T"
                value = String(word.dropFirst(2))
            }
            let field: WritableKeyPath<TimingFlags, String?>
            if name == "-T" {
                field = \.template
            } else if let known = Self.longFlags.first(where: { $0.name == name }) {
                field = known.field
            } else {
                throw .invalidTimingLine(word)
            }
            if value == nil { value = words.popFirst() }
            guard let value, !value.isEmpty else { throw .invalidTimingLine(name) }
            self[keyPath: field] = value
        }
    }

    /// The profile these flags give: the template, then each override checked against its range,
    /// then the cross-checks nmap makes (a floor above its ceiling is refused).
    public func profile() throws(SpecError) -> TimingProfile {
        var profile = TimingProfile.normal
        if let template { profile = try TimingProfile.parse(template) }
        if let minRate { profile.minRate = try TimingProfile.parseRate(minRate, flag: "--min-rate") }
        if let maxRate { profile.maxRate = try TimingProfile.parseRate(maxRate, flag: "--max-rate") }
        if let minRate = profile.minRate, let maxRate = profile.maxRate, minRate > maxRate {
            throw .invalidNumber(flag: "--min-rate", value: self.minRate ?? "", expected: "it is above --max-rate \(self.maxRate ?? "")")
        }
        if let maxRetries { profile.maxRetries = try TimingProfile.parseRetries(maxRetries) }
        if let hostTimeout { profile.hostTimeout = try TimingProfile.parseHostTimeout(hostTimeout) }
        let parallelism = try FlagNumber.integerBounds(
            min: minParallelism, max: maxParallelism, flags: ("--min-parallelism", "--max-parallelism"),
            range: Self.parallelismRange, ceiling: profile.maxParallelism)
        profile.maxParallelism = parallelism.max
        if let floor = parallelism.min { profile.minParallelism = floor }
        if let text = minRTTTimeout {
            profile.minRTTTimeout = try FlagNumber.duration(text, flag: "--min-rtt-timeout", range: Self.rttRange)
        }
        if let text = maxRTTTimeout {
            profile.maxRTTTimeout = try FlagNumber.duration(text, flag: "--max-rtt-timeout", range: Self.rttRange)
        }
        if let text = initialRTTTimeout {
            profile.initialRTTTimeout = try FlagNumber.duration(text, flag: "--initial-rtt-timeout", range: Self.rttRange)
        }
        if profile.minRTTTimeout > profile.maxRTTTimeout {
            // Name the flag typed and the bound it crossed (perhaps the template's, not typed at all).
            if let minRTTTimeout {
                throw .invalidNumber(flag: "--min-rtt-timeout", value: minRTTTimeout,
                                     expected: "it is above --max-rtt-timeout \(Self.time(profile.maxRTTTimeout))")
            }
            throw .invalidNumber(flag: "--max-rtt-timeout", value: maxRTTTimeout ?? "",
                                 expected: "it is below --min-rtt-timeout \(Self.time(profile.minRTTTimeout))")
        }
        // nmap keeps the first timeout inside the bounds rather than refusing a template's default.
        profile.initialRTTTimeout = min(max(profile.initialRTTTimeout, profile.minRTTTimeout), profile.maxRTTTimeout)
        if let text = scanDelay {
            profile.scanDelay = try FlagNumber.duration(text, flag: "--scan-delay", range: Self.delayRange)
        }
        if let text = maxScanDelay {
            let cap = try FlagNumber.duration(text, flag: "--max-scan-delay", range: Self.delayRange)
            if scanDelay != nil, profile.scanDelay > cap {
                throw .invalidNumber(flag: "--scan-delay", value: scanDelay ?? "", expected: "it is above --max-scan-delay \(text)")
            }
            profile.scanDelay = min(profile.scanDelay, cap)
        }
        return profile
    }

    /// Refuses the flags `technique` cannot honour: the congestion window is the connect engine's,
    /// and the raw engine has none to bound.
    public func check(for technique: Technique) throws(SpecError) {
        guard technique != .connect,
              let (flag, value) = [("--min-parallelism", minParallelism), ("--max-parallelism", maxParallelism)]
                  .first(where: { $0.1 != nil }) else { return }
        throw .invalidNumber(flag: flag, value: value ?? "",
                             expected: "it bounds connect scans (-sT) only; \(technique.flag) paces by --min-rate and --max-rate")
    }

    /// The flags that give `profile` back: its template, and each value that differs from the
    /// template's own. The TUI opens its timing line with these, so editing starts from what runs.
    public init(describing profile: TimingProfile) {
        self.init()
        let base = TimingProfile.template(profile.level)
        template = String(profile.level)
        if profile.minParallelism != base.minParallelism { minParallelism = profile.minParallelism.map(String.init) }
        if profile.maxParallelism != base.maxParallelism {
            // A template's serial cap removed by hand has no flag to say "none"; the widest value is one.
            maxParallelism = String(profile.maxParallelism ?? Self.parallelismRange.upperBound)
        }
        if profile.initialRTTTimeout != base.initialRTTTimeout { initialRTTTimeout = Self.time(profile.initialRTTTimeout) }
        if profile.minRTTTimeout != base.minRTTTimeout { minRTTTimeout = Self.time(profile.minRTTTimeout) }
        if profile.maxRTTTimeout != base.maxRTTTimeout { maxRTTTimeout = Self.time(profile.maxRTTTimeout) }
        if profile.maxRetries != base.maxRetries { maxRetries = String(profile.maxRetries) }
        if profile.hostTimeout != base.hostTimeout { hostTimeout = profile.hostTimeout.map(Self.time) ?? "0" }
        if profile.scanDelay != base.scanDelay { scanDelay = Self.time(profile.scanDelay) }
        minRate = profile.minRate.map(FlagNumber.plain)
        maxRate = profile.maxRate.map(FlagNumber.plain)
    }

    /// The flags as a person would type them: `-T4 --max-rtt-timeout 200ms --min-rate 500`.
    public var line: String {
        var words: [String] = []
        if let template { words.append("-T" + template) }
        for (name, field) in Self.longFlags where name != "--rate" {
            if let value = self[keyPath: field] { words.append("\(name) \(value)") }
        }
        return words.joined(separator: " ")
    }

    /// A duration in the unit that states it exactly: `250ms`, `2s`; a fraction of a millisecond in
    /// seconds, which `FlagNumber.duration` reads back to the same nanoseconds.
    static func time(_ duration: Duration) -> String {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        if nanoseconds % 1_000_000_000 == 0 { return "\(nanoseconds / 1_000_000_000)s" }
        if nanoseconds % 1_000_000 == 0 { return "\(nanoseconds / 1_000_000)ms" }
        return FlagNumber.plain(Double(nanoseconds) / 1e9) + "s"
    }
}
