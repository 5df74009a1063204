import PortgridCore

/// Turns running counters into a `ScanProgress` about every `interval`, with the send rate over the
/// last interval. Fed the time by the caller, so it is tested without waiting.
struct ProgressMeter: Sendable {
    let total: Int
    let started: ContinuousClock.Instant
    let interval: Duration
    private var lastReport: ContinuousClock.Instant
    private var lastProbes = 0

    init(total: Int, started: ContinuousClock.Instant, interval: Duration = .milliseconds(250)) {
        self.total = total
        self.started = started
        self.interval = interval
        lastReport = started
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
