import PortgridCore

/// Round-trip estimates without per-probe send times: each host has a few timed probes out at a
/// time, and only an answer to exactly one of them (same item, same try: Karn's rule) is a sample.
/// More than one, so a timed probe that is lost (or sent to a port that drops it) does not leave
/// the host unmeasured until its timeout is over. Hosts with no sample yet borrow the estimate of
/// all hosts together, as nmap's group timing does, so a sweep of mostly dead addresses waits for
/// what the live ones showed.
struct HostTimings: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// 8 bytes, not the 56 of an optional with two Instants: a /16 sweep holds one per host and
    /// probe. Packed in one word: a set top bit (a free slot is all zeros), the send time in
    /// nanoseconds after `origin` modulo 2^43 (about 2.4 hours: a round trip or a timeout longer
    /// than that would read wrong, and neither the profiles nor the flags allow one), and the
    /// `key`, the item above the try's bits. The time a slot is given up is not stored: it is the
    /// host's timeout as estimated when the slot is next looked at.
    private struct TimedProbe: Sendable {
        private var word: UInt64

        static let free = TimedProbe(word: 0)
        static let timeBits: UInt64 = 43
        static let timeMask: UInt64 = (1 << timeBits) - 1
        static let keyBits: UInt64 = 20

        var isFree: Bool { word == 0 }
        var key: UInt32 { UInt32(truncatingIfNeeded: word & ((1 << Self.keyBits) - 1)) }
        /// Nanoseconds from the send to `now` (a time from `HostTimings.offset`).
        func age(at now: Int64) -> Int64 {
            Int64((UInt64(bitPattern: now) &- (word >> Self.keyBits)) & Self.timeMask)
        }

        init(sentAt: Int64, key: UInt32) {
            word = 1 << 63 | (UInt64(bitPattern: sentAt) & Self.timeMask) << Self.keyBits | UInt64(key)
        }

        private init(word: UInt64) { self.word = word }

        /// The item above the try's bits: a try number is below `TryNumbers.count` (16), an item
        /// below 2^16 (a port's index; a sweep's probe). Nil for what no probe is sent as
        /// (`TryNumbers.unknown`) and for items past that, which are then not timed.
        static func key(item: Int, tryNumber: Int) -> UInt32? {
            guard (0 ..< TryNumbers.count).contains(tryNumber), item >= 0, item < 1 << 16 else { return nil }
            return UInt32(item) << 4 | UInt32(tryNumber)
        }
    }

    /// Bytes a timed slot takes (a /16 one-port scan holds one a host).
    static var slotStride: Int { MemoryLayout<TimedProbe>.stride }

    /// Timed probes a host may have out at once (fewer when it has fewer items to probe).
    static let timedPerHost = Rungs.count

    private let slotsPerHost: Int
    /// By host (16 bytes each): whether it has a sample is all that is asked of its count. Empty
    /// where a host needs one answer only (a ping sweep, a one-port scan): a host's own estimate is
    /// asked for only while it owes an answer, and there its first sample comes with its one
    /// answer, after which it owes none; every host uses `overall` (1 MB less for a /16).
    private var hosts: [RTTEstimator.Estimate]
    /// `slotsPerHost` slots per host, host after host.
    private var timed: [TimedProbe]
    /// The origin of the slots' times: the first send.
    private var origin: ScanOrigin?
    private(set) var overall = RTTEstimator()
    /// Round trips measured so far (every host's): the estimates change only when this does.
    var samples: Int { overall.samples }

    /// `itemCount`: items per host; a host never has more timed probes out than it has items.
    /// `oneAnswerPerHost`: the first answer settles the host (a sweep, whose items are the probes
    /// of one question), so it keeps no estimate of its own.
    init(hostCount: Int, itemCount: Int = timedPerHost, oneAnswerPerHost: Bool = false) {
        slotsPerHost = max(1, min(Self.timedPerHost, itemCount))
        hosts = itemCount == 1 || oneAnswerPerHost
            ? [] : [RTTEstimator.Estimate](repeating: RTTEstimator.Estimate(), count: hostCount)
        timed = [TimedProbe](repeating: .free, count: hostCount * slotsPerHost)
    }

    private mutating func offset(_ instant: Instant) -> Int64 {
        let origin = origin ?? ScanOrigin(instant)
        self.origin = origin
        return origin.moment(instant).nanoseconds
    }

    /// Starts timing this probe if the host has a slot free, or one whose probe is past its
    /// timeout. Called for every probe sent, so the common case (all slots busy) is a few comparisons.
    /// A host not measured yet also times first tries when every slot is busy, in the place of a
    /// probe `rungGivingWay` picks: its timed probes stay spread over ages, so one is out about as
    /// long as the round trip, whatever it is. Else (all slots busy until their timeout) a host whose
    /// first timed probes went to ports that drop them stayed unmeasured through a fast first pass,
    /// every answer coming to an untimed probe, and its report had no latency.
    mutating func sent(_ probe: WorkItem, at now: Instant, profile: TimingProfile) {
        let first = probe.host * slotsPerHost
        let sentAt = offset(now)
        // A slot is given up once its probe has been out the host's timeout, asked for only when a
        // slot is busy (this runs for every probe sent).
        var timeout: Int64?
        for slot in first ..< first + slotsPerHost {
            let current = timed[slot]
            if !current.isFree {
                let limit = timeout ?? RTTEstimator.nanoseconds(self.timeout(host: probe.host, profile))
                timeout = limit
                if current.age(at: sentAt) < limit { continue }
            }
            time(probe, in: slot, at: sentAt)
            return
        }
        // Only first tries: a retransmission must not take the place of the try it repeats, whose
        // late answer is still a sample.
        if !hasSample(probe.host) && probe.tryNumber == 0 {
            time(probe, in: rungGivingWay(first: first, at: sentAt), at: sentAt)
        }
    }

    /// A host's busy slots by age, youngest first (`timedPerHost` of them at most).
    private typealias Rungs = InlineArray<4, (age: Int64, slot: Int)>

    /// The slot a new first try of an unmeasured host takes when all are busy. The timed probes are
    /// kept as a ladder of ages, each rung at least twice as old as the one below: the new probe
    /// replaces the younger of the lowest two rungs closer than that, or else the youngest. So every
    /// probe but the youngest stays at least until it is as old as the time between its send and the
    /// next older rung's; rungs merge where they crowd, so those gaps grow with the time the host has
    /// been sent to, and the oldest leaves only with its answer or its timeout. Whatever the round
    /// trip R, some timed probe is about R old when answers come: at a probe every 5 µs the host has
    /// a sample within 2R for R from 50 µs to 200 ms (the tests), and a dropped probe costs a rung,
    /// not the host's measurement. Twice, not more: in a simulation, ratios of 3 and 4 measured later.
    /// "The oldest gives way" (what this replaced) kept no probe past four sends: at hundreds of
    /// sends a millisecond (SYN -p- on one host) no answer found its probe until the sending paused.
    private func rungGivingWay(first: Int, at sentAt: Int64) -> Int {
        var rungs = Rungs(repeating: (age: 0, slot: first))
        for index in 0 ..< slotsPerHost {
            let entry = (age: timed[first + index].age(at: sentAt), slot: first + index)
            var place = index
            while place > 0 && rungs[place - 1].age > entry.age {
                rungs[place] = rungs[place - 1]
                place -= 1
            }
            rungs[place] = entry
        }
        for rung in 0 ..< slotsPerHost - 1 where rungs[rung + 1].age < 2 * rungs[rung].age {
            return rungs[rung].slot
        }
        return rungs[0].slot
    }

    private mutating func time(_ probe: WorkItem, in slot: Int, at sentAt: Int64) {
        guard let key = TimedProbe.key(item: probe.item, tryNumber: probe.tryNumber) else { return }
        timed[slot] = TimedProbe(sentAt: sentAt, key: key)
    }

    /// An answer arrived; returns the round trip when it answered a timed probe.
    mutating func answered(host: Int, item: Int, tryNumber: Int, at now: Instant) -> Duration? {
        guard let key = TimedProbe.key(item: item, tryNumber: tryNumber) else { return nil }
        let first = host * slotsPerHost
        guard let slot = (first ..< first + slotsPerHost).first(where: { !timed[$0].isFree && timed[$0].key == key })
        else { return nil }
        let rtt = Duration.nanoseconds(timed[slot].age(at: offset(now)))
        timed[slot] = .free
        if !hosts.isEmpty { hosts[host].observe(rtt) }
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

    private func hasSample(_ host: Int) -> Bool { !hosts.isEmpty && hosts[host].hasSample }

    private func estimator(_ host: Int) -> RTTEstimator.Estimate {
        hasSample(host) ? hosts[host] : overall.estimate
    }

    /// The host's own smoothed round trip; nil before its first sample, and in a one-item scan,
    /// whose hosts keep none.
    func smoothed(host: Int) -> Duration? { hasSample(host) ? hosts[host].smoothed : nil }
}
