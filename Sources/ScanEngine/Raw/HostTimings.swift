import PortgridCore

/// Round-trip estimates without per-probe send times: each host has a few timed probes out at a
/// time, and only an answer to exactly one of them (same item, same try: Karn's rule) is a sample.
/// More than one, so a timed probe that is lost (or sent to a port that drops it) does not leave
/// the host unmeasured until its timeout is over. Hosts with no sample yet borrow the estimate of
/// all hosts together, as nmap's group timing does, so a sweep of mostly dead addresses waits for
/// what the live ones showed.
struct HostTimings: Sendable {
    private struct TimedProbe: Sendable {
        var item: Int
        var tryNumber: Int
        var sentAt: ContinuousClock.Instant
        /// When it stops being worth waiting for (its timeout as estimated when it left).
        var givenUpAt: ContinuousClock.Instant
    }

    /// Timed probes a host may have out at once.
    static let timedPerHost = 4

    private var hosts: [RTTEstimator]
    /// `timedPerHost` slots per host, host after host.
    private var timed: [TimedProbe?]
    private(set) var overall = RTTEstimator()
    /// Round trips measured so far (every host's): the estimates change only when this does.
    var samples: Int { overall.samples }

    init(hostCount: Int) {
        hosts = [RTTEstimator](repeating: RTTEstimator(), count: hostCount)
        timed = [TimedProbe?](repeating: nil, count: hostCount * Self.timedPerHost)
    }

    /// Starts timing this probe if the host has a slot free, or one whose probe is past its
    /// timeout. Called for every probe sent, so the common case (all slots busy) is a few comparisons.
    mutating func sent(_ probe: WorkItem, at now: ContinuousClock.Instant, profile: TimingProfile) {
        let first = probe.host * Self.timedPerHost
        for slot in first ..< first + Self.timedPerHost {
            if let current = timed[slot], now < current.givenUpAt { continue }
            timed[slot] = TimedProbe(item: probe.item, tryNumber: probe.tryNumber, sentAt: now,
                                     givenUpAt: now + timeout(host: probe.host, profile))
            return
        }
    }

    /// An answer arrived; returns the round trip when it answered a timed probe.
    mutating func answered(host: Int, item: Int, tryNumber: Int, at now: ContinuousClock.Instant) -> Duration? {
        let first = host * Self.timedPerHost
        guard let slot = (first ..< first + Self.timedPerHost).first(where: { slot in
            timed[slot].map { $0.item == item && $0.tryNumber == tryNumber } ?? false
        }), let current = timed[slot] else { return nil }
        timed[slot] = nil
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
