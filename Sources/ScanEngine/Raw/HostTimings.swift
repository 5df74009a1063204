import PortgridCore

/// Round-trip estimates without per-probe send times: each host has at most one timed probe out
/// at a time, and only an answer to exactly that probe (same item, same try: Karn's rule) is a
/// sample. Hosts with no sample yet borrow the estimate of all hosts together, as nmap's group
/// timing does, so a sweep of mostly dead addresses waits for what the live ones showed.
struct HostTimings: Sendable {
    private struct TimedProbe: Sendable {
        var item: Int
        var tryNumber: Int
        var sentAt: ContinuousClock.Instant
        /// When it stops being worth waiting for (its timeout as estimated when it left).
        var givenUpAt: ContinuousClock.Instant
    }

    private var hosts: [RTTEstimator]
    private var timed: [TimedProbe?]
    private(set) var overall = RTTEstimator()
    /// Round trips measured so far (every host's): the estimates change only when this does.
    var samples: Int { overall.samples }

    init(hostCount: Int) {
        hosts = [RTTEstimator](repeating: RTTEstimator(), count: hostCount)
        timed = [TimedProbe?](repeating: nil, count: hostCount)
    }

    /// Starts timing this probe unless one to the same host is still within its timeout. Called for
    /// every probe sent, so the common case (a timed probe out) is one comparison.
    mutating func sent(_ probe: WorkItem, at now: ContinuousClock.Instant, profile: TimingProfile) {
        if let current = timed[probe.host], now < current.givenUpAt { return }
        timed[probe.host] = TimedProbe(item: probe.item, tryNumber: probe.tryNumber, sentAt: now,
                                       givenUpAt: now + timeout(host: probe.host, profile))
    }

    /// An answer arrived; returns the round trip when it answered the timed probe.
    mutating func answered(host: Int, item: Int, tryNumber: Int, at now: ContinuousClock.Instant) -> Duration? {
        guard let current = timed[host], current.item == item, current.tryNumber == tryNumber else { return nil }
        timed[host] = nil
        let rtt = now - current.sentAt
        hosts[host].observe(rtt)
        overall.observe(rtt)
        return rtt
    }

    /// How long a probe to `host` may stay unanswered before it is called lost.
    func timeout(host: Int, _ profile: TimingProfile) -> Duration {
        estimator(host).timeout(profile)
    }

    /// How long a probe to `host` may stay unanswered before it is sent again, when that send is
    /// not its last (see `RTTEstimator.retransmitTimeout`).
    func retransmitTimeout(host: Int, _ profile: TimingProfile) -> Duration {
        estimator(host).retransmitTimeout(profile)
    }

    private func estimator(_ host: Int) -> RTTEstimator {
        hosts[host].samples > 0 ? hosts[host] : overall
    }

    func smoothed(host: Int) -> Duration? { hosts[host].smoothed }
}
