import PortgridCore
import DequeModule

/// Paces UDP probes to a host that rate-limits its ICMP errors, so a closed port that stayed
/// silent only because the host had no error left to send is not reported open|filtered.
///
/// Linux answers about one port-unreachable a second per peer after a burst of six (and 1,000 a
/// second in all); a fast pass therefore sees a few "closed" and a wall of silence. The pacer
/// first measures the host's error rate: it streams probes to the unknown ports and times the
/// errors that come back (once the stream outruns the limiter, errors arrive at its rate; if
/// nearly every probe is answered it streams faster, and gives the host back to the ordinary
/// passes when even a fast stream is not limited). Then it paces: a model of the host's token
/// bucket, refilled at 90% of the measured rate, lets a probe go only when a token is there for
/// it, so every probe to a closed port is answered. Silence under that model is real silence: a
/// port is taken for silent (open|filtered) after `requiredSilentTries` paced probes went
/// unanswered; that number grows, and the ports taken so far are tried again, when one of them
/// answers after all, as the pass scheduler's allowance grows on late answers. Silent ports are
/// handed over only when the whole host is decided. A silent probe does not spend the host's
/// token, so its reservation is handed back when the probe times out.
struct ICMPRateLimitPacer: Sendable {
    typealias Instant = ContinuousClock.Instant

    enum Phase: Hashable, Sendable {
        /// Streaming probes to learn the error rate.
        case measuring
        /// Token-paced probing at `rate` errors per second.
        case pacing(rate: Double)
        /// The host is not rate-limited after all: back to the ordinary passes.
        case released
        /// Every item has its final state.
        case done
    }

    static let initialStreamInterval: Duration = .milliseconds(10)
    /// 20,000 a second: a limiter that keeps up with this is no limiter worth pacing for.
    static let fastestStreamInterval: Duration = .microseconds(50)
    /// Give up measuring after this long at one stream speed.
    static let measureLimit: Duration = .seconds(4)
    static let safetyFactor = 0.9
    static let fallbackRate = 0.5

    let host: Int
    private(set) var phase: Phase = .measuring
    /// Items without a final state, in probing order; answered ones are dropped lazily.
    private var queue: Deque<Int>
    private var pending: Set<Int>
    private var inFlight: [Int: Instant] = [:]
    private var silentTries: [Int: Int] = [:]
    /// Items taken for silent, held back until the host is done in case one answers late.
    private var decidedSilent: Set<Int> = []
    private(set) var requiredSilentTries = 1
    private let maxSilentTries: Int

    // Measuring.
    private var streamInterval = initialStreamInterval
    private var levelStart: Instant
    private var levelSent = 0
    private var levelAnswered = 0
    private var arrivals: [Instant] = []
    private var levelSends: [Instant] = []
    private var nextStreamSend: Instant

    // Pacing: the model of the host's bucket.
    private var tokens = 0.0
    private var lastRefill: Instant
    /// `--min-rate`'s share for this host: the model may pace slower, never the floor.
    private var floor: RateFloor
    /// How many tokens the model may hold: probes in flight at once. Never more than the host's
    /// real burst, or a burst of closed ports would outrun it.
    let modelBurst: Double

    /// `burstHint`: errors the host sent in answer to the first, full-speed pass; its bucket held
    /// at least that many (less what refilled meanwhile, hence the halving).
    init(host: Int, items: [Int], now: Instant, maxRetries: Int, burstHint: Int = 1) {
        self.host = host
        modelBurst = Double(min(4, max(1, burstHint / 2)))
        queue = Deque(items)
        pending = Set(items)
        if items.isEmpty { phase = .done }
        maxSilentTries = max(1, min(maxRetries + 1, 4))
        levelStart = now
        nextStreamSend = now
        lastRefill = now
        floor = RateFloor(rate: nil, now: now)
    }

    /// This host's share of the `--min-rate` floor (nil: none), from the next decision on.
    mutating func setFloor(_ rate: Double?) {
        if floor.rate != rate { floor.setRate(rate) }
    }

    var rate: Double? { if case .pacing(let rate) = phase { rate } else { nil } }
    var pendingCount: Int { pending.count }

    // MARK: Events

    /// Any ICMP error from the host, for any probe (repeats too): each one spent a token there.
    mutating func icmpError(at now: Instant) {
        switch phase {
        case .measuring:
            arrivals.append(now)
            levelAnswered += 1
            evaluate(now)
        case .pacing:
            refill(now)
            tokens -= 1
        case .released, .done:
            break
        }
    }

    /// An answer for `item` (an error or a UDP reply), first or not.
    mutating func answered(item: Int) {
        if decidedSilent.remove(item) != nil {
            // Under a `--min-rate` floor the pace outruns the limiter on purpose: an error that comes
            // late is expected there, not a sign that silence needs more proof.
            guard floor.rate == nil else { return }
            // A port taken for silent answered after all: the model ran ahead of the host, or the
            // wait was too short. Silence needs more proof, and the other ports taken for silent
            // so far are tried again until they have it.
            requiredSilentTries = min(maxSilentTries, requiredSilentTries + 1)
            for other in decidedSilent where silentTries[other, default: 0] < requiredSilentTries {
                decidedSilent.remove(other)
                pending.insert(other)
                queue.append(other)
            }
            return
        }
        guard pending.remove(item) != nil else { return }
        inFlight[item] = nil
        silentTries[item] = nil
        finishIfEmpty()
    }

    /// Paced probes whose wait is over without an answer are tried again, or taken for silent.
    /// Silent ports are handed over (as final: open|filtered) only once every port of the host is
    /// decided, so a late answer can still send them back for another try.
    mutating func expire(now: Instant) -> [Int] {
        for (item, deadline) in inFlight where deadline <= now {
            inFlight[item] = nil
            let tries = silentTries[item, default: 0] + 1
            silentTries[item] = tries
            if tries >= requiredSilentTries {
                pending.remove(item)
                decidedSilent.insert(item)
            } else {
                queue.append(item)
            }
        }
        finishIfEmpty()
        guard phase == .done, !decidedSilent.isEmpty else { return [] }
        defer { decidedSilent = [] }
        return decidedSilent.sorted()
    }

    /// The next probe to send now, if the pacer allows one.
    mutating func nextProbe(now: Instant, timeout: Duration) -> WorkItem? {
        while let first = queue.first, !pending.contains(first) { queue.removeFirst() }
        switch phase {
        case .measuring:
            evaluate(now)
            guard case .measuring = phase, now >= nextStreamSend || floor.owed(now: now) > 0,
                  let item = queue.popFirst() else {
                return phase == .measuring ? nil : nextProbe(now: now, timeout: timeout)
            }
            floor.sent(1, now: now)
            // Unverified: the stream outruns the limiter on purpose, so its silence proves nothing.
            queue.append(item)
            levelSent += 1
            levelSends.append(now)
            nextStreamSend = max(now, nextStreamSend + streamInterval)
            return WorkItem(host: host, item: item, tryNumber: TryNumbers.canary)
        case .pacing:
            refill(now)
            // The tolerance keeps float rounding from leaving a token forever a hair short of one.
            // The floor sends even when the model has no token: `--min-rate` trades the certainty
            // of silence for speed, as in nmap (ports then read open|filtered sooner).
            guard tokens - Double(inFlight.count) >= 1 - 1e-6 || floor.owed(now: now) > 0,
                  let item = queue.popFirst() else { return nil }
            floor.sent(1, now: now)
            inFlight[item] = now + timeout
            return WorkItem(host: host, item: item,
                            tryNumber: TryNumbers.paced(afterSilentTries: silentTries[item, default: 0]))
        case .released, .done:
            return nil
        }
    }

    /// When to call again (next stream slot, token, or timeout), nil when nothing is pending.
    func nextEvent(timeout: Duration) -> Instant? {
        switch phase {
        case .measuring:
            let next = min(nextStreamSend, levelStart + Self.measureLimit)
            return floor.nextDue.map { min($0, next) } ?? next
        case .pacing(let rate):
            let earliestExpiry = inFlight.values.min()
            // Nothing waiting, or the model's bucket could not fund one more probe however long we
            // wait: only an answer or a timeout changes anything.
            let floorTime = queue.isEmpty ? nil : floor.nextDue
            guard pending.count > inFlight.count, Double(inFlight.count) + 1 <= modelBurst else {
                return [earliestExpiry, floorTime].compactMap { $0 }.min()
            }
            let needed = max(0, Double(inFlight.count) + 1 - tokens)
            let tokenTime = lastRefill + .seconds(max(1e-6, needed / (rate * Self.safetyFactor)))
            return [earliestExpiry, floorTime, tokenTime].compactMap { $0 }.min()
        case .released, .done:
            return nil
        }
    }

    // MARK: Internals

    private mutating func finishIfEmpty() {
        if pending.isEmpty, phase != .released { phase = .done }
    }

    private mutating func refill(_ now: Instant) {
        guard case .pacing(let rate) = phase else { return }
        let elapsed = now - lastRefill
        lastRefill = now
        tokens = min(modelBurst, tokens + elapsed.inSeconds * rate * Self.safetyFactor)
    }

    private mutating func evaluate(_ now: Instant) {
        guard case .measuring = phase else { return }
        if levelSent >= 20 && Double(levelAnswered) >= 0.9 * Double(levelSent) {
            // Nearly every probe answered: the limiter (if any) is faster than this stream.
            if streamInterval > Self.fastestStreamInterval {
                streamInterval = max(Self.fastestStreamInterval, streamInterval / 4)
                startLevel(now)
            } else {
                phase = .released
            }
            return
        }
        if let floorRate = floor.rate, levelSent >= 20, Double(levelAnswered) < 0.5 * Double(levelSent),
           Double(levelSent) / Swift.max(1e-3, (now - levelStart).inSeconds) >= 0.9 * floorRate {
            // The host answers under half of a stream sent at the `--min-rate` floor: whatever its
            // limiter's exact rate, it is below the floor, which sets the pace from here on.
            // Measuring it exactly would only hold the ports back.
            startPacing(rate: Self.fallbackRate, now)
            return
        }
        if let rate = ICMPRateEstimator.limiterRate(arrivals: arrivals, sends: levelSends) {
            startPacing(rate: rate, now)
            return
        }
        if now - levelStart >= Self.measureLimit {
            if arrivals.count >= 2 {
                // Errors too sparse to time: few closed ports among many silent ones, or a very slow
                // limiter. Pace at half Linux's default, which is slow enough for either.
                startPacing(rate: Self.fallbackRate, now)
            } else {
                // At most one error in seconds of streaming over these ports: they are silent, not
                // limited. The passes finish them.
                phase = .released
            }
        }
    }

    private mutating func startLevel(_ now: Instant) {
        levelStart = now
        levelSent = 0
        levelAnswered = 0
        arrivals = []
        levelSends = []
        nextStreamSend = now
    }

    private mutating func startPacing(rate: Double, _ now: Instant) {
        phase = .pacing(rate: rate)
        // The stream has just emptied the host's bucket.
        tokens = 0
        lastRefill = now
    }
}
