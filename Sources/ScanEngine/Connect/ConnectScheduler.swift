import DequeModule
import PortgridCore

/// The connect scan's decisions, without a socket: which probe goes next (retries first, then
/// probes whose back-off is over, then the next of the permutation), how many may start (window,
/// rate, scan delay), when a try is given up, whether it is retried, when a host is given up, and
/// what each answer means. Events and the clock come in; probes to start, socket fates and the
/// output batch go out. `ConnectEngine` is the loop that moves bytes for it. The probes in flight
/// are keyed by the number the loop gives them (their socket's descriptor: to the scheduler only a key).
struct ConnectScheduler {
    typealias Instant = ContinuousClock.Instant

    /// Most connects started in one burst: between bursts the loop reads answers, so a probe's
    /// deadline is never judged while its answer sits unread behind thousands of sends. Small
    /// bursts also keep the sockets a burst touches few enough to stay in cache: on a fast link a
    /// closed port's RST is back before the burst ends, and reaping it at once is cheaper than
    /// reaping it a few hundred sockets later (64 measured faster than 512 on the testbed).
    static let maxBurst = 64
    /// Indices of the shared walk taken at a time.
    static let takeChunk = 32
    static let maxBackoff = Duration.milliseconds(100)
    /// Results gathered before the loop should hand them over without waiting for the turn's end.
    static let resultBatch = 256

    private let ports: PortSet
    private let portCount: Int
    private let order: ScanOrder
    private let walk: ProbeCursor
    private let share: WorkerShare
    private var timing: TimingProfile

    private var hosts: [ConnectHost]
    private var timeouts: HostTimeouts
    private var table = ProbeTable()
    private var window: ProbeWindow
    private var limiter: RateLimiter
    private var rateFloor: RateFloor
    /// Indices of the permutation this worker has taken and not yet sent.
    private var taken: Range<UInt64> = 0..<0
    /// Silent probes due for another try, sent before new ones.
    private var retries = Deque<Probe>()
    /// Probes the kernel had no room for, with when to try again.
    private var backlog = Deque<(probe: Probe, notBefore: Instant)>()
    private var backoff = Duration.milliseconds(1)
    private var nextSendAllowed: Instant
    private var noticedErrors = Set<Errno>()
    /// The in-flight table's times count from the scheduler's start (`ScanMoment`).
    private let origin: ScanOrigin
    private(set) var output = ConnectOutput()

    /// `walk` is shared by all the scan's workers (each its own `share`); `fileLimit` is this
    /// worker's part of the descriptors.
    init(plan: ScanPlan, seed: UInt64, walk: ProbeCursor, share: WorkerShare, fileLimit: Int, now: Instant) {
        ports = plan.ports
        portCount = plan.ports.count
        // Elements are host-major (host * ports + port): `-r` reads them column by column.
        order = ScanOrder(count: UInt64(plan.hosts.count) * UInt64(portCount), seed: seed,
                          sequentialRows: plan.sequential ? UInt64(plan.hosts.count) : nil)
        self.walk = walk
        self.share = share
        timing = plan.timing
        hosts = plan.hosts.map { ConnectHost(address: $0, maxRetries: plan.timing.maxRetries) }
        timeouts = HostTimeouts(hostCount: plan.hosts.count)
        window = ProbeWindow(fileLimit: fileLimit,
                             maxParallelism: plan.timing.maxParallelism.map { share.portion(of: $0) },
                             minParallelism: plan.timing.minParallelism.map { share.portion(of: $0) })
        limiter = RateLimiter(rate: share.rate(plan.timing.maxRate, parallelism: plan.timing.maxParallelism),
                              now: now)
        rateFloor = RateFloor(rate: share.rate(plan.timing.minRate, parallelism: plan.timing.maxParallelism), now: now)
        nextSendAllowed = now
        origin = ScanOrigin(now)
    }

    var isDone: Bool {
        taken.isEmpty && walk.isExhausted && retries.isEmpty && backlog.isEmpty && table.isEmpty
    }

    var inFlightCount: Int { table.count }

    /// The loop should hand the output over now rather than at the end of its turn.
    var outputIsDue: Bool { output.results.count >= Self.resultBatch }

    /// Empties the output after the loop has delivered it.
    mutating func outputDelivered() { output.removeAll() }

    /// `--scan-delay` between this worker's probes, so the scan's probes are that far apart.
    private var scanDelay: Duration {
        share.delay(timing.scanDelay, parallelism: timing.maxParallelism)
    }

    /// `--host-timeout` needs one view of each host's ports, so it is kept on a single-worker scan.
    private var hostTimeout: Duration? {
        share.count == 1 ? timing.hostTimeout : nil
    }

    /// The address a probe connects to.
    func destination(of probe: Probe) -> SocketAddress {
        SocketAddress(hosts[probe.host].address, port: probe.port)
    }

    // MARK: controls

    /// A new timing profile (a key in the TUI): limits now, deadlines from the next decision on.
    mutating func apply(_ newTiming: TimingProfile) {
        let old = timing
        timing = newTiming
        window.maxParallelism = newTiming.maxParallelism.map { share.portion(of: $0) }
        window.minParallelism = newTiming.minParallelism.map { share.portion(of: $0) }
        limiter.setRate(share.rate(newTiming.maxRate, parallelism: newTiming.maxParallelism))
        rateFloor.setRate(share.rate(newTiming.minRate, parallelism: newTiming.maxParallelism))
        if newTiming.maxRetries != old.maxRetries {
            for index in hosts.indices { hosts[index].retries.setCeiling(newTiming.maxRetries) }
        }
    }

    /// How long the loop may sleep: not past the next deadline, the next send the gates allow (or
    /// the `--min-rate` floor asks for), or `longest`.
    func waitTime(now: Instant, paused: Bool, longest: Duration) -> Duration {
        var wait = longest
        if let deadline = table.nextDeadline { wait = Swift.min(wait, deadline - origin.moment(now)) }
        guard !paused, hasWork(now) else { return wait }
        if rateFloor.rate != nil, table.count < window.hardLimit {
            wait = Swift.min(wait, Swift.max(rateFloor.delayUntilOwed(now: now), limiter.delayUntilNext()))
        }
        if table.count >= window.limit { return wait }
        wait = Swift.min(wait, limiter.delayUntilNext())
        if scanDelay > .zero { wait = Swift.min(wait, nextSendAllowed - now) }
        return wait
    }

    private func hasWork(_ now: Instant) -> Bool {
        !taken.isEmpty || !walk.isExhausted || !retries.isEmpty || (backlog.first.map { $0.notBefore <= now } ?? false)
    }

    // MARK: sending

    /// How many connects the loop may start in this burst: the window's room (sockets still
    /// waiting for the closer hold descriptors too), at most `maxBurst`, as the rate limit and
    /// `--scan-delay` allow; or, when that is fewer than the `--min-rate` floor is owed, what the
    /// floor is owed, within the descriptors and `--max-parallelism`. The rate's tokens are taken.
    mutating func burstSize(now: Instant, closesPending: Int) -> Int {
        guard hasWork(now) else {
            rateFloor.idle(now: now)
            return 0
        }
        let delay = scanDelay
        let room = Swift.min(window.limit - table.count - closesPending, Self.maxBurst)
        var allowed = room > 0 && !(delay > .zero && now < nextSendAllowed) ? (delay > .zero ? 1 : room) : 0
        let hardRoom = Swift.min(window.hardLimit - table.count - closesPending, Self.maxBurst)
        allowed = Swift.max(allowed, Swift.min(rateFloor.owed(now: now), hardRoom))
        guard allowed > 0 else { return 0 }
        return limiter.take(allowed, now: now)
    }

    /// The burst is over: `sent` connects went out, the last at `now`.
    mutating func burstEnded(sent: Int, now: Instant) {
        rateFloor.sent(sent, now: now)
        let delay = scanDelay
        if delay > .zero && sent > 0 { nextSendAllowed = now + delay }
    }

    /// The next probe to start, nil when none is due. A host past its `--host-timeout` is given
    /// up here, before another probe goes to it.
    mutating func nextProbe(now: Instant) -> Probe? {
        while let probe = nextCandidate(now) {
            if timeouts.isOverdue(probe.host, limit: hostTimeout, now: now) {
                expireHost(probe.host)
                continue
            }
            return probe
        }
        return nil
    }

    /// Retries first, then probes whose back-off is over, then the next of the permutation.
    private mutating func nextCandidate(_ now: Instant) -> Probe? {
        while let probe = retries.popFirst() {
            if !timeouts.isTimedOut(probe.host) { return probe }
        }
        while let first = backlog.first, first.notBefore <= now {
            backlog.removeFirst()
            if !timeouts.isTimedOut(first.probe.host) { return first.probe }
        }
        while true {
            if taken.isEmpty {
                taken = walk.take(Self.takeChunk)
                if taken.isEmpty { return nil }
            }
            let element = order.element(walk.position(taken.lowerBound))
            taken = taken.dropFirst()
            let host = Int(element / UInt64(portCount))
            if timeouts.isTimedOut(host) || walk.isFinished(element) { continue }
            return Probe(host: host, port: ports[Int(element % UInt64(portCount))], attempt: 0)
        }
    }

    /// The loop had no socket for `probe` (the kernel is out of descriptors or memory).
    mutating func noSocket(for probe: Probe, now: Instant) {
        shortage(probe, now)
    }

    /// A connect was started for `probe` on `slot` at `now`: `result` is nil while it is in
    /// progress, else how it ended at once.
    mutating func launched(_ probe: Probe, slot: SocketDescriptor, result: ConnectResult?, now: Instant) -> LaunchStep {
        if case .failed(let error, _) = result, error.isLocalShortage {
            shortage(probe, now)
            return .shortage
        }
        timeouts.sent(host: probe.host, at: now)
        output.sent += 1
        switch result {
        case .failed(let error, let icmp):
            // A socket whose connect failed at once is not known clean: it is not reused.
            settle(probe, verdict: .classify(error: error, icmp: icmp), error: error, rtt: .zero, now: now)
            return .finished(.close)
        case .connected(let selfConnect):
            backoff = .milliseconds(1)
            connected(probe, selfConnect: selfConnect, rtt: .zero, now: now)
            return .finished(.close)
        case nil:
            backoff = .milliseconds(1)
            let isLastTry = !hosts[probe.host].retries.mayRetry(after: probe.attempt)
            let sentAt = origin.moment(now)
            _ = table.insert(probe, socket: slot, sentAt: sentAt,
                             deadline: deadline(host: probe.host, sentAt: sentAt, isLastTry: isLastTry),
                             isLastTry: isLastTry)
            return .inFlight
        }
    }

    /// Takes back a probe just put in flight whose socket could not be watched after all.
    mutating func withdraw(_ slot: SocketDescriptor) {
        _ = table.remove(token: InFlightProbe.token(slot))
    }

    private mutating func shortage(_ probe: Probe, _ now: Instant) {
        window.shortage(inFlight: table.count)
        backlog.append((probe, now + backoff))
        backoff = Swift.min(Self.maxBackoff, backoff * 2)
    }

    // MARK: answers

    /// The probe in flight on `slot`, taken out; nil when there is none (an answer already read,
    /// a socket waiting for reuse, a host given up on).
    mutating func takeInFlight(_ slot: SocketDescriptor) -> InFlightProbe? {
        table.remove(token: InFlightProbe.token(slot))
    }

    /// The answer to a probe taken out with `takeInFlight`.
    mutating func answered(_ entry: InFlightProbe, result: ConnectResult, now: Instant) -> SocketFate {
        let rtt = origin.moment(now) - entry.sentAt
        switch result {
        case .connected(let selfConnect):
            connected(entry.probe, selfConnect: selfConnect, rtt: rtt, now: now)
            return .close
        case .failed(let error, let icmp):
            settle(entry.probe, verdict: .classify(error: error, icmp: icmp), error: error, rtt: rtt, now: now)
            // Only a plain refusal leaves a socket known clean (no queued ICMP report, no
            // connection): that one connects again; anything unusual gets a fresh socket.
            return error == .connectionRefused && icmp == nil ? .reuse(mayHoldReports: false) : .close
        }
    }

    /// A connect that succeeded: open, unless the kernel connected the socket to itself (see
    /// `ConnectEngine.result(connected:)`): that try proves nothing and goes again.
    private mutating func connected(_ probe: Probe, selfConnect: Bool, rtt: Duration, now: Instant) {
        if selfConnect {
            backlog.append((probe, now))
            return
        }
        settle(probe, verdict: .answered(.open, .synAck), error: nil, rtt: rtt, now: now)
    }

    /// `rtt`: from the try's send to its answer (zero for a connect that ended at once).
    private mutating func settle(_ probe: Probe, verdict: ConnectVerdict, error: Errno?, rtt: Duration, now: Instant) {
        guard !timeouts.isTimedOut(probe.host) else { return }
        switch verdict {
        case .answered(let state, let reason):
            let firstSample = hosts[probe.host].rtt.samples == 0
            hosts[probe.host].rtt.observe(rtt)
            if firstSample { tightenDeadlines(host: probe.host) }
            // Only a retransmission that followed a full timeout is evidence of loss; after an early
            // one the first try may just have been slow, and halving the window for it would
            // throttle a fast scan whenever the machine stalls for a few milliseconds.
            if hosts[probe.host].retries.answered(onAttempt: probe.attempt), !probe.followsEarlyTimeout {
                window.lossDetected()
            }
            window.answered()
            if reason == .unknownResponse, let error, noticedErrors.insert(error).inserted {
                output.notices.append(Notice(.warning, "connect to \(hosts[probe.host].address) port \(probe.port) failed: \(error); reported filtered"))
            }
            report(probe, state: state, reason: reason, rtt: rtt)
        case .silent:
            unanswered(probe)
        case .localShortage:
            shortage(probe, now)
        }
    }

    /// The probes sent before a host's first answer wait its initial timeout (half a second at
    /// T4); once a round trip is known their deadlines follow it, as nmap judges every probe by
    /// the timing it has now. Otherwise a dropped port among the first few probes would hold the
    /// scan's end back by the whole initial timeout.
    private mutating func tightenDeadlines(host: Int) {
        let rtt = hosts[host].rtt, timing = timing
        table.tighten(where: { $0.probe.host == host }) { entry in
            Self.deadline(rtt: rtt, timing: timing, sentAt: entry.sentAt, isLastTry: entry.isLastTry)
        }
    }

    private func deadline(host: Int, sentAt: ScanMoment, isLastTry: Bool) -> ScanMoment {
        Self.deadline(rtt: hosts[host].rtt, timing: timing, sentAt: sentAt, isLastTry: isLastTry)
    }

    /// When a try is given up: a port's last try waits the full timeout a verdict needs, an earlier
    /// one only the measured round trip before it is sent again.
    private static func deadline(rtt: RTTEstimator, timing: TimingProfile, sentAt: ScanMoment,
                                 isLastTry: Bool) -> ScanMoment {
        sentAt + (isLastTry ? rtt.timeout(timing) : rtt.retransmitTimeout(timing))
    }

    // MARK: time

    /// Gives up the next probe whose deadline has passed (retried, or reported filtered) and
    /// returns its socket, for reuse with `mayHoldReports`; nil when none is due. Call only once
    /// every answer that has arrived is read: only then is silence silence.
    mutating func popExpired(now: Instant) -> SocketDescriptor? {
        let now = origin.moment(now)
        while let entry = table.popExpired(now: now) {
            let host = hosts[entry.probe.host]
            let fullTimeout = host.rtt.timeout(timing)
            if !entry.isLastTry, !timeouts.isTimedOut(entry.probe.host), !host.retries.mayRetry(after: entry.probe.attempt) {
                // Fewer retries are allowed than when this try went out (a new profile): it is the
                // last after all, and a verdict waits the full timeout.
                let full = entry.sentAt + fullTimeout
                if full > now {
                    table.reschedule(entry, deadline: full)
                    continue
                }
            }
            unanswered(entry.probe, early: entry.deadline - entry.sentAt < fullTimeout)
            // A silent port's socket is reused too: closing one costs the kernel as much as the
            // connect did, and filtered ports come by the thousand on a firewalled host. Its next
            // connect gets a new source port from the kernel (RFC 6056 moves each destination's
            // starting point on every connect), so a retry never repeats the four-tuple of a try
            // the target may still be half-answering: that SYN would be reset, and an open port
            // read as closed. (Binding probe sockets to fixed ports, for a few percent, would.)
            return entry.socket
        }
        return nil
    }

    /// Gives up the hosts past their `--host-timeout` (checked a few times a second).
    mutating func expireHosts(now: Instant) {
        guard let limit = hostTimeout else { return }
        let hosts = hosts, portCount = portCount
        let due = timeouts.expireDue(limit: limit, now: now) { hosts[$0].reported < portCount }
        for host in due { abandon(host) }
    }

    private mutating func expireHost(_ host: Int) {
        if timeouts.expire(host) { abandon(host) }
    }

    /// Stops probing a host given up on: its probes in flight are dropped (their sockets closed)
    /// and its unfinished ports count as done.
    private mutating func abandon(_ host: Int) {
        for entry in table.removeAll(where: { $0.probe.host == host }) { output.abandoned.append(entry.socket) }
        let left = portCount - hosts[host].reported
        output.completed += left
        output.notices.append(HostTimeouts.notice(host: hosts[host].address, limit: timing.hostTimeout, left: left))
    }

    private mutating func unanswered(_ probe: Probe, early: Bool = false) {
        guard !timeouts.isTimedOut(probe.host) else { return }
        if hosts[probe.host].retries.mayRetry(after: probe.attempt) {
            retries.append(Probe(host: probe.host, port: probe.port, attempt: probe.attempt + 1,
                                 followsEarlyTimeout: early))
        } else {
            report(probe, state: .filtered, reason: .noResponse, rtt: nil)
        }
    }

    private mutating func report(_ probe: Probe, state: PortState, reason: Reason, rtt: Duration?) {
        hosts[probe.host].reported += 1
        output.results.append(PortResult(host: hosts[probe.host].address, proto: .tcp, port: probe.port,
                                         state: state, reason: reason, technique: .connect, rtt: rtt))
    }
}
