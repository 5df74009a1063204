import PortgridCore

/// TIMING AND PERFORMANCE flags over the template: the values go to `PortgridCore.TimingFlags`, the
/// one home of their ranges and cross-checks, which the TUI's timing line shares.
extension TimingOptions {
    /// Hosts `--min-hostgroup` accepts: at most the most targets a scan takes.
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
        let profile = try flags.profile()
        if let minHostgroup {
            // Every target is scanned in one group, so any minimum is met; the value is still checked.
            _ = try FlagNumber.integer(minHostgroup, flag: "--min-hostgroup", range: Self.hostgroupRange)
        }
        return profile
    }
}
