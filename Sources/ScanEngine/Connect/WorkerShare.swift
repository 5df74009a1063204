/// One connect worker's part of the scan's limits. A scan runs on a few workers (one thread and
/// one epoll set each) so both cores do kernel work; the user's limits are for the scan, so each
/// worker takes its portion: of `--max-parallelism`, of `--max-rate`, and of the probe spacing
/// `--scan-delay` asks for. A worker whose portion of the parallelism is zero takes no new probes
/// (a serial profile runs on one worker) and picks up again when the limit rises.
struct WorkerShare: Hashable, Sendable {
    let index: Int
    let count: Int

    static let whole = WorkerShare(index: 0, count: 1)

    init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count)
        self.index = index
        self.count = count
    }

    /// The first worker reports progress for the whole scan.
    var reportsProgress: Bool { index == 0 }

    /// Workers taking part under a parallelism limit: no more than the limit itself.
    func activeWorkers(parallelism: Int?) -> Int {
        guard let parallelism else { return count }
        return Swift.max(1, Swift.min(count, parallelism))
    }

    /// This worker's part of a whole (probes in flight): the parts add up to exactly `total`.
    func portion(of total: Int) -> Int {
        total / count + (index < total % count ? 1 : 0)
    }

    /// This worker's part of the scan's rate, shared among the active workers. An idle worker's
    /// portion of the parallelism is zero, which already keeps it from sending: its rate is left
    /// unset rather than zero (a bucket that never fills would never say when to try again).
    func rate(_ rate: Double?, parallelism: Int?) -> Double? {
        guard let rate else { return nil }
        let active = activeWorkers(parallelism: parallelism)
        return index < active ? rate / Double(active) : nil
    }

    /// The spacing between this worker's probes that keeps the scan's at `delay`.
    func delay(_ delay: Duration, parallelism: Int?) -> Duration {
        delay * activeWorkers(parallelism: parallelism)
    }
}
