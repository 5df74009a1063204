import DequeModule

/// Paces UDP probes to a host that rate-limits its ICMP errors, so a closed port that stayed
/// silent only because the host had no error left to send is not reported open|filtered.
///
/// Linux answers about one port-unreachable a second per peer after a burst of six (and 1,000 a
/// second in all); a fast pass therefore sees a few "closed" and a wall of silence. The pacer
/// first measures the host's error rate: it streams probes to the unknown ports and times the
/// errors that come back (once the stream outruns the limiter, errors arrive exactly at its rate;
/// if nearly every probe is answered it streams faster, and gives the host back to the ordinary
/// passes when even a fast stream is not limited). Then it paces: a model of the host's token
/// bucket, refilled at 85% of the measured rate, lets a probe go only when a token is there for
/// it, so every probe to a closed port is answered. Silence under that model is real silence: a
/// port is final (open|filtered) after `requiredSilentTries` paced probes went unanswered, and that
/// number grows when a repeated probe is answered after all, as the pass scheduler's allowance does.
/// A silent probe does not spend the host's token, so it is handed back when the probe times out.
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

    /// First try number of paced probes (the passes use the ones below).
    static let firstPacedTry = PassScheduler.retryCeiling + 1
    static let initialStreamInterval: Duration = .milliseconds(10)
    /// 20,000 a second: a limiter that keeps up with this is no limiter worth pacing for.
    static let fastestStreamInterval: Duration = .microseconds(50)
    /// Give up measuring after this long at one stream speed.
    static let measureLimit: Duration = .seconds(4)
    static let safetyFactor = 0.85

    let host: Int
    private(set) var phase: Phase = .measuring
    /// Items without a final state, in probing order; answered ones are dropped lazily.
    private var queue: Deque<Int>
    private var pending: Set<Int>
    private var inFlight: [Int: Instant] = [:]
    private var silentTries: [Int: Int] = [:]
    private(set) var requiredSilentTries = 1
    private let maxSilentTries: Int

    // Measuring.
    private var streamInterval = initialStreamInterval
    private var levelStart: Instant
    private var levelSent = 0
    private var levelAnswered = 0
    private var arrivals: [Instant] = []
    private var nextStreamSend: Instant

    // Pacing: the model of the host's bucket.
    private var tokens = 0.0
    private var lastRefill: Instant

    init(host: Int, items: [Int], now: Instant, maxRetries: Int) {
        self.host = host
        queue = Deque(items)
        pending = Set(items)
        if items.isEmpty { phase = .done }
        maxSilentTries = max(1, min(maxRetries, 3))
        levelStart = now
        nextStreamSend = now
        lastRefill = now
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

    /// `item` got its final state (an error or a UDP reply).
    mutating func answered(item: Int) {
        guard pending.remove(item) != nil else { return }
        inFlight[item] = nil
        if let tries = silentTries.removeValue(forKey: item), tries >= 1 {
            // A port that had been silent under pacing answered: the model ran ahead of the host
            // (or packets were lost), so silence must be confirmed more often from now on.
            requiredSilentTries = min(maxSilentTries + 1, requiredSilentTries + 1)
        }
        finishIfEmpty()
    }

    /// Paced probes whose wait is over without an answer: retried, or returned as final silence.
    mutating func expire(now: Instant) -> [Int] {
        var silent: [Int] = []
        for (item, deadline) in inFlight where deadline <= now {
            inFlight[item] = nil
            let tries = silentTries[item, default: 0] + 1
            silentTries[item] = tries
            if tries >= requiredSilentTries {
                silent.append(item)
                pending.remove(item)
            } else {
                queue.append(item)
            }
        }
        finishIfEmpty()
        return silent
    }

    /// The next probe to send now, if the pacer allows one.
    mutating func nextProbe(now: Instant, timeout: Duration) -> WorkItem? {
        while let first = queue.first, !pending.contains(first) { queue.removeFirst() }
        switch phase {
        case .measuring:
            evaluate(now)
            guard case .measuring = phase, now >= nextStreamSend, let item = queue.popFirst() else {
                return phase == .measuring ? nil : nextProbe(now: now, timeout: timeout)
            }
            // Unverified: the stream outruns the limiter on purpose, so its silence proves nothing.
            queue.append(item)
            levelSent += 1
            nextStreamSend = max(now, nextStreamSend + streamInterval)
            return WorkItem(host: host, item: item, tryNumber: Self.firstPacedTry)
        case .pacing:
            refill(now)
            guard tokens - Double(inFlight.count) >= 1, let item = queue.popFirst() else { return nil }
            inFlight[item] = now + timeout
            let tryNumber = Self.firstPacedTry + min(3, silentTries[item, default: 0] + 1)
            return WorkItem(host: host, item: item, tryNumber: tryNumber)
        case .released, .done:
            return nil
        }
    }

    /// When to call again (next stream slot, token, or timeout), nil when nothing is pending.
    func nextEvent(timeout: Duration) -> Instant? {
        switch phase {
        case .measuring:
            return min(nextStreamSend, levelStart + Self.measureLimit)
        case .pacing(let rate):
            let earliestExpiry = inFlight.values.min()
            guard !queue.isEmpty else { return earliestExpiry }
            let needed = Double(inFlight.count) + 1 - tokens
            let tokenTime = needed <= 0 ? lastRefill : lastRefill + .seconds(needed / (rate * Self.safetyFactor))
            return earliestExpiry.map { min($0, tokenTime) } ?? tokenTime
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
        // One token of headroom: a paced probe needs one, more would let a burst outrun the host.
        tokens = min(1, tokens + ProgressMeter.seconds(elapsed) * rate * Self.safetyFactor)
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
        // Once the stream outruns the limiter, errors arrive one token apart: spacings well above the
        // stream interval are the limiter's. Two of them give its rate (the smallest: a gap can only
        // be stretched, by the stream happening to probe silent ports).
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }.filter { $0 >= streamInterval * 2 }
        if gaps.count >= 2, let smallest = gaps.min() {
            startPacing(rate: 1 / ProgressMeter.seconds(smallest), now)
            return
        }
        if now - levelStart >= Self.measureLimit {
            if arrivals.count >= 2, let first = arrivals.first, let last = arrivals.last, last > first {
                startPacing(rate: Double(arrivals.count - 1) / ProgressMeter.seconds(last - first), now)
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
        nextStreamSend = now
    }

    private mutating func startPacing(rate: Double, _ now: Instant) {
        phase = .pacing(rate: rate)
        // The stream has just emptied the host's bucket.
        tokens = 0
        lastRefill = now
    }
}
