import PortgridCore

/// TIMING AND PERFORMANCE flags over the template: each value through `FlagNumber` (one grammar,
/// one range per flag), then the cross-checks nmap makes (a floor above its ceiling is refused).
extension TimingOptions {
    /// Connects in flight `--min-parallelism` and `--max-parallelism` accept.
    static let parallelismRange: ClosedRange<Int> = 1...65_535
    /// Hosts `--min-hostgroup` and `--max-hostgroup` accept: at most the most targets a scan takes.
    static let hostgroupRange: ClosedRange<Int> = 1...Int(TargetSet.maxAddresses)
    /// RTT timeouts in seconds: a millisecond up to a thousand hours (as `--host-timeout`).
    static let rttRange: ClosedRange<Double> = 0.001...3_600_000
    /// `--scan-delay` and `--max-scan-delay` in seconds; 0 is no delay.
    static let delayRange: ClosedRange<Double> = 0...3_600_000

    /// Any timing flag was given (`--resume` then retimes the stored scan).
    var isGiven: Bool {
        [timing, minHostgroup, maxHostgroup, minParallelism, maxParallelism, initialRTTTimeout, minRTTTimeout,
         maxRTTTimeout, maxRetries, hostTimeout, scanDelay, maxScanDelay, minRate, maxRate].contains { $0 != nil }
    }

    func profile() throws(SpecError) -> TimingProfile {
        var profile = TimingProfile.normal
        if let timing { profile = try TimingProfile.parse(timing) }
        if let minRate { profile.minRate = try TimingProfile.parseRate(minRate, flag: "--min-rate") }
        if let maxRate { profile.maxRate = try TimingProfile.parseRate(maxRate, flag: "--max-rate") }
        if let minRate = profile.minRate, let maxRate = profile.maxRate, minRate > maxRate {
            throw .invalidNumber(flag: "--min-rate", value: self.minRate ?? "", expected: "it is above --max-rate \(self.maxRate ?? "")")
        }
        if let maxRetries { profile.maxRetries = try TimingProfile.parseRetries(maxRetries) }
        if let hostTimeout { profile.hostTimeout = try TimingProfile.parseHostTimeout(hostTimeout) }
        if let maxHostgroup {
            profile.maxHostgroup = try FlagNumber.integer(maxHostgroup, flag: "--max-hostgroup", range: Self.hostgroupRange)
        }
        if let minHostgroup {
            // Groups are as large as --max-hostgroup allows (all targets without it), so any minimum
            // up to it is met; one above it contradicts it, and nmap refuses that too.
            let value = try FlagNumber.integer(minHostgroup, flag: "--min-hostgroup", range: Self.hostgroupRange)
            if let ceiling = profile.maxHostgroup, value > ceiling {
                throw .invalidNumber(flag: "--min-hostgroup", value: minHostgroup,
                                     expected: "it is above --max-hostgroup \(ceiling)")
            }
            profile.minHostgroup = value
        }
        if let maxParallelism {
            profile.maxParallelism = try FlagNumber.integer(maxParallelism, flag: "--max-parallelism", range: Self.parallelismRange)
        }
        if let minParallelism {
            let value = try FlagNumber.integer(minParallelism, flag: "--min-parallelism", range: Self.parallelismRange)
            if let ceiling = profile.maxParallelism, value > ceiling {
                throw .invalidNumber(flag: "--min-parallelism", value: minParallelism,
                                     expected: "it is above --max-parallelism \(ceiling)")
            }
            profile.minParallelism = value
        }
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
            let flag = minRTTTimeout != nil ? "--min-rtt-timeout" : "--max-rtt-timeout"
            throw .invalidNumber(flag: flag, value: (minRTTTimeout != nil ? minRTTTimeout : maxRTTTimeout) ?? "",
                                 expected: "--min-rtt-timeout must not be above --max-rtt-timeout")
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
}
