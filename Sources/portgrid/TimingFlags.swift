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
        // Groups are as large as --max-hostgroup allows (all targets without it), so any minimum up
        // to it is met; one above it contradicts it, and nmap refuses that too.
        let groups = try FlagNumber.integerBounds(min: minHostgroup, max: maxHostgroup,
                                                  flags: ("--min-hostgroup", "--max-hostgroup"), range: Self.hostgroupRange)
        if let ceiling = groups.max { profile.maxHostgroup = ceiling }
        if let floor = groups.min { profile.minHostgroup = floor }
        return profile
    }
}
