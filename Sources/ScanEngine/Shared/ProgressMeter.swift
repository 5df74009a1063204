import PortgridCore

/// Turns running counters into a `ScanProgress` about every `interval`, with the send rate over the
/// last interval. Fed the time by the caller, so it is tested without waiting.
///
/// A scan in hostgroups runs an engine, and a meter, per group, while the counters and the work
/// count against the whole scan: a meter made later (`now`) starts its rate from the probes sent so
/// far and counts its elapsed time, and so the ETA, from the scan's start. A later group's first
/// report said "0.0s elapsed" and 275 million probes a second, every earlier group's probes over a
/// quarter second.
struct ProgressMeter: Sendable {
    let total: Int
    /// When the scan started.
    let started: ContinuousClock.Instant
    let interval: Duration
    private var lastReport: ContinuousClock.Instant
    private var lastProbes: Int

    /// `now`: when this meter starts (the scan's start by default); `probesSent`: the scan's count then.
    init(total: Int, started: ContinuousClock.Instant, now: ContinuousClock.Instant? = nil, probesSent: Int = 0,
         interval: Duration = .milliseconds(250)) {
        self.total = total
        self.started = started
        self.interval = interval
        lastReport = now ?? started
        lastProbes = probesSent
    }

    /// A progress report when one is due, else nil.
    mutating func report(now: ContinuousClock.Instant, completed: Int, probesSent: Int) -> ScanProgress? {
        guard now - lastReport >= interval else { return nil }
        return final(now: now, completed: completed, probesSent: probesSent)
    }

    /// A report regardless of the interval (the last one of a scan).
    mutating func final(now: ContinuousClock.Instant, completed: Int, probesSent: Int) -> ScanProgress {
        let seconds = (now - lastReport).inSeconds
        let rate = seconds > 0 ? Double(probesSent - lastProbes) / seconds : 0
        lastReport = now
        lastProbes = probesSent
        return ScanProgress(completed: completed, total: total, probesSent: probesSent, rate: rate,
                            elapsed: now - started)
    }
}
