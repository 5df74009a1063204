import PortgridCore

/// The decisions of a raw scan, without a socket: which probe of the pass goes next, what an answer
/// settles, how long a fully sent pass waits, what follows its wait (canaries, the next pass, idle
/// while pacers work), which hosts the UDP pacers take and give back, and which hosts time out.
/// `RawProbeEngine` is the loop that builds and moves the packets; it tells this value what was
/// sent and what came back, and does what the returned steps say. Built on `PassScheduler` (the
/// passes and retry allowances), `HostTimings` (round trips), `ICMPLimitWatch` (UDP, FIN, NULL, Xmas) and
/// `HostTimeouts`.
struct RawPasses: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// What moving the pass on asks of the loop.
    enum Step: Hashable, Sendable {
        /// Nothing changes this turn.
        case none
        /// Send these canary probes (UDP's first pass end).
        case sendCanaries([WorkItem])
        /// The pass is over: these hosts' unanswered items are now final (silent).
        case ended(SilentList)
    }

    /// A host given up on at its `--host-timeout`, with how many items it left unscanned.
    struct TimedOutHost: Hashable, Sendable {
        var host: Int
        var left: Int
    }

    static let deadlineRefreshInterval: Duration = .milliseconds(2)

    private(set) var scheduler: PassScheduler
    private(set) var timings: HostTimings
    /// UDP and FIN/NULL/Xmas: rate-limited hosts and their pacers.
    private var watch: ICMPLimitWatch?
    private var hostTimeouts: HostTimeouts
    private(set) var phase: PassPhase = .sending(lastSend: nil)
    /// Second tries go out while the first pass is still sending or waiting (see `earlyRetries`).
    let retriesEarly: Bool
    /// When the first pass's walk positions left.
    private var checkpoints = SendCheckpoints()
    /// The first pass's position when the sender last took everything handed to it.
    private var handedOver: UInt64 = 0
    /// When the next early retry is due, if one is waiting for its first try to age.
    private(set) var earlyRetryDue: Instant?
    private var pausedSince: Instant?
    var profile: TimingProfile

    /// `refillsErrorlessHosts`: see `ICMPLimitWatch` (UDP true, stealth scans false).
    init(scheduler: PassScheduler, profile: TimingProfile, watchesICMPLimits: Bool, refillsErrorlessHosts: Bool = true) {
        self.scheduler = scheduler
        self.profile = profile
        timings = HostTimings(hostCount: scheduler.hostCount, itemCount: scheduler.itemCount,
                              oneAnswerPerHost: scheduler.settlesHost)
        hostTimeouts = HostTimeouts(hostCount: scheduler.hostCount)
        watch = watchesICMPLimits
            ? ICMPLimitWatch(hostCount: scheduler.hostCount, refillsErrorlessHosts: refillsErrorlessHosts) : nil
        // Not where an ICMP limit is watched: there the first pass end decides canaries, refill
        // waits and pacers from the first tries alone. Not for a sweep: its probes of one host are
        // a walk apart, and its second probe already goes only where the first went unanswered.
        retriesEarly = !watchesICMPLimits && !scheduler.settlesHost && scheduler.maxRetries > 0
    }

    var isFinished: Bool { scheduler.isFinished }

    /// The pass has probes still to send.
    var isSendingPass: Bool {
        if case .sending = phase { !scheduler.isPassFullySent } else { false }
    }

    /// The pass's probes are all out but its wait has not started: the loop should finish its
    /// sends and call `startWait`.
    var isReadyToWait: Bool {
        if case .sending = phase { scheduler.isPassFullySent } else { false }
    }

    /// When the pass's wait (or its canaries') ends, if it is in one.
    var passDeadline: Instant? {
        switch phase {
        case .waiting(let wait): wait.deadline
        case .canaries(let until): until
        case .sending, .idle: nil
        }
    }

    /// The earliest moment a UDP pacer needs attention.
    var pacerEvent: Instant? { watch?.nextEvent(timeout: timeout) }

    private func timeout(_ host: Int) -> Duration { timings.timeout(host: host, profile) }
    private func retransmitTimeout(_ host: Int) -> Duration { timings.retransmitTimeout(host: host, profile) }

    // MARK: Sending

    /// The next probe of the pass, nil once the pass is fully sent (or not sending).
    mutating func nextPassProbe(at now: Instant) -> WorkItem? {
        guard case .sending = phase, let probe = scheduler.nextProbe() else { return nil }
        hostTimeouts.sent(host: probe.host, at: now)
        timings.sent(probe, at: now, profile: profile)
        return probe
    }

    /// Probes of the pass left at `now` (the wait counts from the last of them).
    mutating func passProbesLeft(at now: Instant) {
        if case .sending = phase { phase = .sending(lastSend: now) }
    }

    /// The sender took every probe handed to it by `now`. Those of the call before had surely left
    /// by now (a send thread may still be sending the latest), so they get a checkpoint.
    mutating func sendsTaken(at now: Instant) {
        guard retriesEarly, scheduler.pass == 0, case .sending = phase else { return }
        checkpoints.record(before: handedOver, at: now)
        handedOver = scheduler.position
    }

    /// Whether `earlyRetries` may have probes to give: the first pass is sending or waiting.
    var mayRetryEarly: Bool {
        guard retriesEarly, scheduler.pass == 0 else { return false }
        switch phase {
        case .sending, .waiting: return true
        case .canaries, .idle: return false
        }
    }

    /// Second tries of the first pass's unanswered items, due now, at most `limit`: the second
    /// pass's cursor runs behind the first pass's over the same walk and sends an item's second try
    /// once its first is older than the host's retransmit timeout, as the first pass's wait would
    /// have, but while the first pass is still sending. A position's send time is bounded by the
    /// first checkpoint past it (`SendCheckpoints`), so no try goes early. Nothing changes for the
    /// verdict: the second pass starts where this cursor stopped, and a port is called silent only
    /// at its wait's end, the full timeout after its last probe (the early ones left before it).
    /// Within the retry allowance: a second try only where it allows one; the third and later go
    /// in their passes as before (their tries do not leave in walk order).
    mutating func earlyRetries(at now: Instant, limit: Int) -> [WorkItem] {
        earlyRetryDue = nil
        guard mayRetryEarly, limit > 0 else { return [] }
        var due: [WorkItem] = []
        while let (position, host) = scheduler.nextEarlyRetryCandidate() {
            guard due.count < limit else {
                earlyRetryDue = now
                break
            }
            guard let sentBy = checkpoints.sentBy(position) else { break }
            let ready = sentBy + retransmitTimeout(host)
            guard now >= ready else {
                earlyRetryDue = ready
                break
            }
            guard let probe = scheduler.takeEarlyRetry() else { break }
            hostTimeouts.sent(host: probe.host, at: now)
            timings.sent(probe, at: now, profile: profile)
            due.append(probe)
        }
        return due
    }

    /// The UDP pacers' probes due now, at most `limit`.
    mutating func pacedProbes(now: Instant, limit: Int) -> [WorkItem] {
        let timings = timings, profile = profile
        return watch?.nextProbes(now: now, limit: limit, floor: profile.minRate) { timings.timeout(host: $0, profile) } ?? []
    }

    // MARK: Answers

    /// A reply about a port. Returns whether it is the port's first (only that one is reported),
    /// and the round trip when it answered a timed probe.
    mutating func answered(_ answer: PortAnswer, at now: Instant) -> (isFirst: Bool, rtt: Duration?) {
        let rtt = timings.answered(host: answer.host, item: answer.item, tryNumber: answer.tryNumber, at: now)
        watch?.observe(answer, at: now)
        guard scheduler.recordAnswer(host: answer.host, item: answer.item, tryNumber: answer.tryNumber) else {
            return (false, rtt)
        }
        watch?.observeFirst(answer)
        return (true, rtt)
    }

    /// A reply proving a host up (discovery).
    mutating func answered(_ answer: HostAnswer, at now: Instant) -> (isFirst: Bool, rtt: Duration?) {
        let rtt = timings.answered(host: answer.host, item: answer.item, tryNumber: answer.tryNumber, at: now)
        return (scheduler.recordAnswer(host: answer.host, item: answer.item, tryNumber: answer.tryNumber), rtt)
    }

    // MARK: Pauses

    mutating func pause(at now: Instant) {
        if pausedSince == nil { pausedSince = now }
    }

    /// The pause is over: it does not count against the pass's wait.
    mutating func resume(at now: Instant) {
        guard let since = pausedSince else { return }
        pausedSince = nil
        if case .waiting(var wait) = phase {
            wait.shift(by: now - since)
            phase = .waiting(wait)
        }
    }

    // MARK: Pass ends

    /// The pass's last probe really left at `sendsFinished` (a send thread may still have been
    /// sending it when it was handed over): its wait starts.
    mutating func startWait(sendsFinished: Instant?, now: Instant) {
        guard case .sending(let lastSend) = phase else { return }
        var start = lastSend ?? now
        if let sendsFinished { start = max(start, sendsFinished) }
        // Every first try has left by now: the last of them are timed from here.
        if retriesEarly, scheduler.pass == 0 { checkpoints.record(before: scheduler.position, at: start) }
        let basis = currentBasis
        phase = .waiting(PassWait(start: start, deadline: start + passTimeout(), basis: basis, nextRefresh: now))
    }

    private var currentBasis: PassWaitBasis {
        PassWaitBasis(samples: timings.samples, allowanceChanges: scheduler.allowanceChanges)
    }

    /// Moves the pass on, once the replies that have arrived are read. `receiveBacklogged`: replies
    /// are still queued unread, so a deadline just passed is not yet silence.
    mutating func advance(now: Instant, receiveBacklogged: Bool) -> Step {
        let allDecided = scheduler.remaining == (watch?.pendingCount ?? 0)
        switch phase {
        case .sending, .idle:
            return .none
        case .canaries(let until):
            guard now >= until, allDecided || !receiveBacklogged else { return .none }
            if case .over(let actions) = watchFirstPassEnded(now) { apply(actions) }
            return endPass()
        case .waiting(var wait):
            // Answers that came in during the wait: round trips measured (a pass sent before any
            // answer waited for the initial timeout), or an allowance raised by an answered
            // retransmission (that host's silence is no longer final at this pass end).
            wait.refresh(now: now, basis: currentBasis, interval: Self.deadlineRefreshInterval) { passTimeout() }
            defer { if case .waiting = phase { phase = .waiting(wait) } }
            guard allDecided || now >= wait.deadline && !receiveBacklogged else { return .none }
            if scheduler.pass == 0, let watch, !allDecided, !wait.refillChecked {
                // Only once the first tries had their timeout is it known which hosts sent no error
                // at all; those may have had none left, and their retransmissions wait for a refill.
                wait.refillChecked = true
                // Under a `--min-rate` floor the retransmissions do not wait for the host's limiter.
                if profile.minRate == nil, watch.needsRefillWait(scheduler) {
                    wait.deadline = max(wait.deadline, wait.start + ICMPLimitWatch.refillWait)
                    if now < wait.deadline { return .none }
                }
            }
            guard watch != nil else { return endPass() }
            if scheduler.pass == 0 {
                switch watchFirstPassEnded(now) {
                case .send(let canaries, let deadline):
                    phase = .canaries(until: deadline)
                    return .sendCanaries(canaries)
                case .waiting(let until):
                    phase = .canaries(until: until)
                    return .none
                case .over(let actions):
                    apply(actions)
                }
            } else {
                apply(watch?.laterPassEnded(now: now, scheduler: scheduler, maxRetries: profile.maxRetries) ?? [])
            }
            return endPass()
        }
    }

    private mutating func watchFirstPassEnded(_ now: Instant) -> ICMPLimitWatch.CanaryStep {
        let timings = timings, profile = profile
        return watch?.firstPassEnded(now: now, scheduler: scheduler, maxRetries: profile.maxRetries) {
            timings.timeout(host: $0, profile)
        } ?? .over([])
    }

    /// Closes the pass: hosts whose allowance ends with it get their silence, and the next pass
    /// begins (or the passes go idle while only pacers work).
    private mutating func endPass() -> Step {
        let silent = scheduler.endPass()
        // The early retries are the second pass's now, which goes on from where they stopped.
        checkpoints.removeAll()
        earlyRetryDue = nil
        phase = scheduler.hasPassWork ? .sending(lastSend: nil) : .idle
        return .ended(silent)
    }

    /// How long the pass's last probes get, the longest among hosts still owing answers: the full
    /// timeout for a host whose silence this pass end makes final (no port is called silent before
    /// its last probe had it), the retransmit timeout for one that only gets another try. Taken at
    /// the end of the pass, and again as answers come in, not when its first probes left, so the
    /// round trips measured during the pass count (the profile's initial timeout is for the first
    /// probes only).
    private func passTimeout() -> Duration {
        // A watched first pass end also reads the signs of an ICMP limiter (which hosts sent errors,
        // how many, which ports to use as canaries): they need the first tries' errors all in. A
        // stealth scan that has seen no error yet has nothing to read: its passes run unwatched.
        let watching = watch.map { $0.refillsErrorlessHosts || $0.totalErrors > 0 } ?? false
        let fullWaitForAll = watching && scheduler.pass == 0
        var longest = Duration.zero
        for host in 0..<scheduler.hostCount where !scheduler.isDetached(host)
            && scheduler.answered.unansweredCount(host: host) > 0 {
            let final = fullWaitForAll || scheduler.passEndIsFinal(for: host)
            longest = max(longest, final ? timeout(host) : retransmitTimeout(host))
        }
        return longest
    }

    // MARK: Pacers and host timeouts

    /// Expires the UDP pacers' waits; returns the items they decided silent.
    mutating func servicePacers(now: Instant) -> [SilentItems] {
        guard let actions = watch?.service(now: now), !actions.isEmpty else { return [] }
        return apply(actions)
    }

    /// Applies the pacing's actions to the passes; returns the items they made final.
    @discardableResult
    private mutating func apply(_ actions: [PacingAction]) -> [SilentItems] {
        var silent: [SilentItems] = []
        for action in actions {
            switch action {
            case .detach(let host):
                scheduler.detach(host)
            case .silent(let host, let items):
                scheduler.finalize(host: host, items: items)
                silent.append(SilentItems(host: host, items: items))
            case .reattach(let host):
                scheduler.reattach(host)
                // A host back in the passes: they run again.
                if case .idle = phase { phase = .sending(lastSend: nil) }
            }
        }
        return silent
    }

    /// Gives up the hosts past their `--host-timeout`: their unanswered items get no state.
    mutating func expireHosts(now: Instant) -> [TimedOutHost] {
        guard profile.hostTimeout != nil else { return [] }
        let answered = scheduler.answered
        let due = hostTimeouts.expireDue(limit: profile.hostTimeout, now: now) { answered.unansweredCount(host: $0) > 0 }
        guard !due.isEmpty else { return [] }
        return due.map { host in
            let left = scheduler.answered.unanswered(host: host)
            watch?.abandon(host)
            scheduler.finalize(host: host, items: left)
            return TimedOutHost(host: host, left: left.count)
        }
    }
}
