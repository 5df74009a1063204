import PortgridCore

/// TIMING AND PERFORMANCE flags over the template: the values go to `PortgridCore.TimingFlags`, the
/// one home of their ranges and cross-checks, which the TUI's timing line shares; the host-group
/// flags, which only the command line sets, are checked here.
extension TimingOptions {
    /// Hosts `--min-hostgroup` and `--max-hostgroup` accept: at most the most targets a scan takes.
    static let hostgroupRange: ClosedRange<Int> = 1...Int(TargetSet.maxAddresses)

    /// Any timing flag was given (`--resume` then retimes the stored scan).
    var isGiven: Bool {
        [timing, minHostgroup, maxHostgroup, minParallelism, maxParallelism, initialRTTTimeout, minRTTTimeout,
         maxRTTTimeout, maxRetries, hostTimeout, scanDelay, maxScanDelay, minRate, maxRate].contains { $0 != nil }
    }

    /// The flags as typed, for `TimingFlags.profile()`.
    var flags: TimingFlags {
        var flags = TimingFlags()
        flags.template = timing
        flags.minParallelism = minParallelism
        flags.maxParallelism = maxParallelism
        flags.initialRTTTimeout = initialRTTTimeout
        flags.minRTTTimeout = minRTTTimeout
        flags.maxRTTTimeout = maxRTTTimeout
        flags.maxRetries = maxRetries
        flags.hostTimeout = hostTimeout
        flags.scanDelay = scanDelay
        flags.maxScanDelay = maxScanDelay
        flags.minRate = minRate
        flags.maxRate = maxRate
        return flags
    }

    func profile() throws(SpecError) -> TimingProfile {
        var profile = try flags.profile()
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
        return profile
    }
}
