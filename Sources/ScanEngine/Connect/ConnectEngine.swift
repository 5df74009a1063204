import Collections
import CPortgridSystem
import PortgridCore

/// The connect scan's event loop: thousands of non-blocking connects on one epoll set, walked in the
/// seeded (host × port) permutation. A scan may run several of these workers, one per thread, each
/// taking the next indices of the shared walk as it has room. Each turn it reads the controls,
/// expires overdue probes, sends what the window, rate limit and scan delay allow, and waits at most
/// 10 ms for answers, so a cancel or a timing change lands within milliseconds. Not Sendable: each
/// worker's engine lives on its own thread.
final class ConnectEngine {
    /// Longest single wait: bounds how late a cancel or pause is noticed.
    static let turn = Duration.milliseconds(10)
    static let maxBackoff = Duration.milliseconds(100)
    /// Most connects started in one turn: between bursts the loop reads answers, so a probe's
    /// deadline is never judged while its answer sits unread behind thousands of sends. Small
    /// bursts also keep the sockets a turn touches few enough to stay in cache: on a fast link a
    /// closed port's RST is back before the burst ends, and reaping it at once is cheaper than
    /// reaping it a few hundred sockets later (64 measured faster than 512 on the testbed).
    static let maxBurst = 64

    private let plan: ScanPlan
    private let control: ScanControl
    private let sink: EventSink
    private let system: any SystemCalls
    private let sockets: SocketOperations
    private let closer: SocketCloser
    /// Pre-opened sockets, when every target is of one address family.
    private let supply: SocketSupply?
    /// The address family of every target, when they share one: refused sockets are then reused.
    private let family: CInt?
    private let epoll: Epoll
    private let order: ScanOrder
    private let portCount: Int
    private let share: WorkerShare
    private let walk: ProbeCursor

    private var hosts: [ConnectHost]
    private var table = ProbeTable()
    private var window: ProbeWindow
    private var limiter: RateLimiter
    private var meter: ProgressMeter
    private var settings: ScanControl.Settings
    private var settingsVersion: Int

    /// Indices of the permutation this worker has taken and not yet sent.
    private var taken: Range<UInt64> = 0..<0
    static let takeChunk = 32
    /// Silent probes due for another try, sent before new ones.
    private var retries = Deque<Probe>()
    /// Probes the kernel had no room for, with when to try again.
    private var backlog = Deque<(probe: Probe, notBefore: ContinuousClock.Instant)>()
    private var backoff = Duration.milliseconds(1)
    private var nextSendAllowed: ContinuousClock.Instant
    private var noticedErrors = Set<Errno>()
    /// Results and sent-probe counts gathered this turn, handed to the sink in one go (one lock per
    /// batch rather than one per probe); always handed over before any other event goes out.
    private var unreported: [PortResult] = []
    private var unreportedSends = 0
    /// One clock read serves every answer of a wake-up: they all arrived before it.
    private var wokeAt: ContinuousClock.Instant?
    /// Finished sockets of this turn, for the closer.
    private var finished: [SocketDescriptor] = []
    /// Sockets to connect again, still in the epoll set: refused by a RST (a closed port's socket
    /// carries the next probe), or given up on while connecting (a filtered port's). The latter
    /// may yet collect a late ICMP report, so their error queue is emptied after the disconnect.
    private var spare: [(socket: SocketDescriptor, mayHoldReports: Bool)] = []
    static let spareLimit = 1024
    /// Events a probe socket is watched for. Edge-triggered: a finished socket (waiting for the
    /// closer, or for reuse) is in CLOSE state, which level-triggered epoll would report on every
    /// wait; and a reused socket needs no epoll_ctl per probe (a one-shot watch would need a re-arm
    /// each time). A wake-up that finds the socket connecting again reports nothing: epoll reads
    /// the state when it reports.
    static let watchedEvents = EpollEvent.writable | EpollEvent.edgeTriggered
    static let resultBatch = 256

    /// `fileLimit` is this worker's part of the descriptors; `walk` is shared by all the scan's
    /// workers (each its own `share`).
    init(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64, system: any SystemCalls,
         fileLimit: Int, share: WorkerShare = .whole, walk: ProbeCursor? = nil) throws(ScanError) {
        self.plan = plan
        self.control = control
        self.sink = sink
        self.system = system
        sockets = SocketOperations(system: system)
        closer = SocketCloser(sockets: sockets)
        let families = Set(plan.hosts.map { SocketAddress($0, port: 0).family })
        family = families.count == 1 ? families.first : nil
        if let family, share.count == 1 {
            // Stocked sockets sit outside the window's count, so the stock stays a small share of
            // the descriptors kept in reserve, and never more than the scan has probes. With
            // several workers every core already runs a loop: a supply thread would only compete.
            let capacity = Swift.min(512, ProbeWindow.reserve(fileLimit: fileLimit) / 4, plan.totalWork)
            supply = capacity >= 8
                ? SocketSupply(sockets: sockets, family: family, capacity: capacity) : nil
        } else {
            supply = nil
        }
        do { epoll = try Epoll(system: system) } catch { throw error.scanError("epoll_create1") }
        portCount = plan.ports.count
        order = ScanOrder(count: UInt64(plan.hosts.count) * UInt64(portCount), seed: seed)
        self.share = share
        self.walk = walk ?? ProbeCursor(count: order.count)
        let settings = control.current
        self.settings = settings
        settingsVersion = control.version
        hosts = plan.hosts.map { ConnectHost(address: $0, maxRetries: settings.timing.maxRetries) }
        window = ProbeWindow(fileLimit: fileLimit,
                             maxParallelism: settings.timing.maxParallelism.map { share.portion(of: $0) })
        let now = system.now()
        limiter = RateLimiter(rate: share.rate(settings.timing.maxRate, parallelism: settings.timing.maxParallelism),
                              now: now)
        meter = ProgressMeter(total: plan.totalWork, started: now)
        nextSendAllowed = now
    }

    deinit {
        supply?.stop()
        closer.close(finished)
        closer.close(spare.map(\.socket))
        closer.drain()
        for entry in table.removeAll(where: { _ in true }) { sockets.close(entry.socket) }
    }

    private var isDone: Bool {
        taken.isEmpty && walk.isExhausted && retries.isEmpty && backlog.isEmpty && table.isEmpty
    }

    /// `--scan-delay` between this worker's probes, so the scan's probes are that far apart.
    private var scanDelay: Duration {
        share.delay(settings.timing.scanDelay, parallelism: settings.timing.maxParallelism)
    }

    /// `--host-timeout` needs one view of each host's ports, so it is kept on a single-worker scan.
    private var hostTimeout: Duration? {
        share.count == 1 ? settings.timing.hostTimeout : nil
    }

    /// Runs until every (host, port) has a final state or the scan is cancelled.
    func run() throws(ScanError) {
        // Whatever way the loop ends, every socket it finished is closed before run returns.
        defer {
            supply?.stop()
            closer.close(finished)
            finished.removeAll()
            closer.close(spare.map(\.socket))
            spare.removeAll()
            closer.drain()
        }
        while !control.isCancelled {
            readSettings()
            if !settings.paused { try send() }
            if isDone || control.isCancelled { break }
            wokeAt = nil
            do {
                try epoll.wait(timeout: waitTime(system.now())) { event in self.complete(event) }
            } catch {
                throw error.scanError("epoll_wait")
            }
            // Only now, with every answer that has arrived read, is silence silence.
            let now = system.now()
            expireProbes(now)
            handOver()
            sink.flushIfDue(now: now)
            if let progress = meter.report(now: now, completed: sink.completedCount, probesSent: sink.probesSent) {
                if share.reportsProgress { sink.send(.progress(progress)) }
                expireHosts(now)
            }
        }
        handOver()
        if control.isCancelled { closeAll() }
    }

    /// Gives the sink this turn's results and probe count.
    private func handOver() {
        if !finished.isEmpty {
            closer.close(finished)
            finished.removeAll(keepingCapacity: true)
        }
        if unreportedSends > 0 {
            sink.probeSent(unreportedSends)
            unreportedSends = 0
        }
        guard !unreported.isEmpty else { return }
        sink.results(unreported)
        unreported.removeAll(keepingCapacity: true)
    }

    /// A notice or progress report: results gathered so far go first, so consumers see them in order.
    private func emit(_ event: ScanEvent) {
        handOver()
        sink.send(event)
    }

    // MARK: controls

    private func readSettings() {
        let version = control.version
        guard version != settingsVersion else { return }
        settingsVersion = version
        let old = settings.timing
        settings = control.current
        let timing = settings.timing
        window.maxParallelism = timing.maxParallelism.map { share.portion(of: $0) }
        limiter.setRate(share.rate(timing.maxRate, parallelism: timing.maxParallelism))
        if timing.maxRetries != old.maxRetries {
            for index in hosts.indices { hosts[index].retries.setCeiling(timing.maxRetries) }
        }
    }

    /// How long epoll may sleep: not past the next deadline, the next send the gates allow, or one turn.
    private func waitTime(_ now: ContinuousClock.Instant) -> Duration {
        var wait = Self.turn
        if let deadline = table.nextDeadline { wait = Swift.min(wait, deadline - now) }
        guard !settings.paused, hasWork(now) else { return wait }
        if table.count >= window.limit { return wait }
        wait = Swift.min(wait, limiter.delayUntilNext())
        if scanDelay > .zero { wait = Swift.min(wait, nextSendAllowed - now) }
        return wait
    }

    private func hasWork(_ now: ContinuousClock.Instant) -> Bool {
        !taken.isEmpty || !walk.isExhausted || !retries.isEmpty || (backlog.first.map { $0.notBefore <= now } ?? false)
    }

    // MARK: sending

    private func send() throws(ScanError) {
        var now = system.now()
        // Sockets still waiting for the closer hold descriptors too.
        let room = Swift.min(window.limit - table.count - closer.pending, Self.maxBurst)
        guard room > 0, hasWork(now) else { return }
        let delay = scanDelay
        if delay > .zero && now < nextSendAllowed { return }
        var allowed = limiter.take(delay > .zero ? 1 : room, now: now)
        var ready = supply?.take(allowed) ?? []
        defer { supply?.giveBack(ready) }
        var sent = 0
        while allowed > 0, let probe = nextProbe(now) {
            guard try launch(probe, now: now, ready: &ready) else { break }
            allowed -= 1
            sent += 1
            // A burst takes a while: keep the send times honest and cancellation prompt.
            if sent & 15 == 0 {
                if control.isCancelled { return }
                now = system.now()
            }
        }
        if delay > .zero && sent > 0 { nextSendAllowed = now + delay }
    }

    /// Retries first, then probes whose back-off is over, then the next of the permutation.
    private func nextProbe(_ now: ContinuousClock.Instant) -> Probe? {
        while let probe = retries.popFirst() {
            if !hosts[probe.host].timedOut { return probe }
        }
        while let first = backlog.first, first.notBefore <= now {
            backlog.removeFirst()
            if !hosts[first.probe.host].timedOut { return first.probe }
        }
        while true {
            if taken.isEmpty {
                taken = walk.take(Self.takeChunk)
                if taken.isEmpty { return nil }
            }
            let element = order.element(taken.lowerBound)
            taken = taken.dropFirst()
            let host = Int(element / UInt64(portCount))
            if hosts[host].timedOut { continue }
            return Probe(host: host, port: plan.ports[Int(element % UInt64(portCount))], attempt: 0)
        }
    }

    /// Starts one connect. Returns false when the kernel is short of resources (the probe is put back
    /// and this turn's sending stops).
    private func launch(_ probe: Probe, now: ContinuousClock.Instant,
                        ready: inout [SocketDescriptor]) throws(ScanError) -> Bool {
        if hosts[probe.host].isOverdue(hostTimeout, now: now) {
            expireHost(probe.host)
            return true
        }
        let destination = SocketAddress(hosts[probe.host].address, port: probe.port)
        guard let (socket, watched) = try probeSocket(family: destination.family, ready: &ready) else {
            return shortage(probe, now)
        }
        if hosts[probe.host].firstSent == nil { hosts[probe.host].firstSent = now }
        let connected: Bool
        do {
            connected = try sockets.startConnect(socket, to: destination)
        } catch {
            if error.isLocalShortage {
                sockets.close(socket)
                return shortage(probe, now)
            }
            unreportedSends += 1
            let icmp = sockets.icmpReport(socket)
            sockets.close(socket)
            settle(probe, verdict: .classify(error: error, icmp: icmp), error: error, sentAt: now, now: now)
            return true
        }
        unreportedSends += 1
        backoff = .milliseconds(1)
        if connected {
            finishConnected(probe, socket: socket, destination: destination, sentAt: now, now: now)
            return true
        }
        let isLastTry = !hosts[probe.host].retries.mayRetry(after: probe.attempt)
        let entry = table.insert(probe, socket: socket, sentAt: now,
                                 deadline: deadline(host: probe.host, sentAt: now, isLastTry: isLastTry),
                                 isLastTry: isLastTry)
        do {
            if !watched { try epoll.add(socket, events: Self.watchedEvents, data: entry.token) }
        } catch {
            _ = table.remove(token: entry.token)
            sockets.close(socket)
            throw error.scanError("epoll_ctl")
        }
        return true
    }

    /// A socket for the next connect: a refused or silent one to reuse (already in the epoll set:
    /// `watched`), else one from the stock, else a new one. Nil when the kernel is out of descriptors or memory.
    private func probeSocket(family: CInt, ready: inout [SocketDescriptor]) throws(ScanError)
        -> (SocketDescriptor, watched: Bool)? {
        while let (reused, mayHoldReports) = spare.popLast() {
            do {
                // Disconnected first: from then on no ICMP error can reach the socket's old connect.
                try sockets.disconnect(reused)
            } catch {
                // Not reusable after all: a fresh socket does the job.
                finished.append(reused)
                continue
            }
            if mayHoldReports {
                // A report left from the old connect would be read as the new one's answer.
                var left = 0
                while sockets.icmpReport(reused) != nil, left < 8 { left += 1 }
            }
            return (reused, true)
        }
        if let stocked = ready.popLast() { return (stocked, false) }
        let socket: SocketDescriptor
        do {
            socket = try sockets.openStream(family: family)
        } catch {
            if error.isLocalShortage { return nil }
            throw error.scanError("socket")
        }
        do {
            try sockets.setReceiveErrors(socket, family: family)
        } catch {
            sockets.close(socket)
            throw error.scanError("setsockopt")
        }
        return (socket, false)
    }

    private func shortage(_ probe: Probe, _ now: ContinuousClock.Instant) -> Bool {
        window.shortage(inFlight: table.count)
        backlog.append((probe, now + backoff))
        backoff = Swift.min(Self.maxBackoff, backoff * 2)
        return false
    }

    // MARK: answers

    private func complete(_ event: EpollEvent) {
        guard let entry = table.remove(token: event.data) else { return }
        let now = wokeAt ?? system.now()
        wokeAt = now
        // Writable without an error bit is a finished connect (SO_ERROR is only ever set together
        // with EPOLLERR), so the open port needs no getsockopt.
        let error: Errno?
        if event.hasError {
            do { error = try sockets.pendingError(entry.socket) } catch let failed { error = failed }
        } else {
            error = nil
        }
        guard let error else {
            let destination = SocketAddress(hosts[entry.probe.host].address, port: entry.probe.port)
            finishConnected(entry.probe, socket: entry.socket, destination: destination, sentAt: entry.sentAt, now: now)
            return
        }
        let icmp = sockets.icmpReport(entry.socket)
        // Only a plain refusal leaves a socket known clean (no queued ICMP report, no connection):
        // that one connects again; anything unusual gets a fresh socket.
        if error == .connectionRefused, icmp == nil {
            recycle(entry.socket, mayHoldReports: false)
        } else {
            finished.append(entry.socket)
        }
        settle(entry.probe, verdict: .classify(error: error, icmp: icmp), error: error, sentAt: entry.sentAt, now: now)
    }

    /// A connect that succeeded: open, unless the kernel connected the socket to itself. Scanning one
    /// of our own addresses, a port inside the ephemeral range can be picked as our own source port,
    /// and TCP's simultaneous open then "succeeds" with nobody listening; that try proves nothing.
    /// (One getsockname per open port: open ports are few.)
    private func finishConnected(_ probe: Probe, socket: SocketDescriptor, destination: SocketAddress,
                                 sentAt: ContinuousClock.Instant, now: ContinuousClock.Instant) {
        let isSelfConnect = sockets.localAddress(socket) == destination
        // Only a connected socket lingers after close, so only it needs SO_LINGER {1, 0}: its close
        // sends RST and leaves no TIME_WAIT. (Set here rather than on every socket: one call less
        // per closed or filtered port.)
        try? sockets.setResetOnClose(socket)
        finished.append(socket)
        if isSelfConnect {
            backlog.append((probe, now))
            return
        }
        settle(probe, verdict: .answered(.open, .synAck), error: nil, sentAt: sentAt, now: now)
    }

    private func settle(_ probe: Probe, verdict: ConnectVerdict, error: Errno?, sentAt: ContinuousClock.Instant,
                        now: ContinuousClock.Instant) {
        guard !hosts[probe.host].timedOut else { return }
        switch verdict {
        case .answered(let state, let reason):
            let rtt = now - sentAt
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
                emit(.notice(Notice(.warning, "connect to \(hosts[probe.host].address) port \(probe.port) failed: \(error); reported filtered")))
            }
            report(probe, state: state, reason: reason, rtt: rtt)
        case .silent:
            unanswered(probe)
        case .localShortage:
            _ = shortage(probe, now)
        }
    }

    /// The probes sent before a host's first answer wait its initial timeout (half a second at
    /// T4); once a round trip is known their deadlines follow it, as nmap judges every probe by
    /// the timing it has now. Otherwise a dropped port among the first few probes would hold the
    /// scan's end back by the whole initial timeout.
    private func tightenDeadlines(host: Int) {
        table.tighten(where: { $0.probe.host == host }) { entry in
            deadline(host: host, sentAt: entry.sentAt, isLastTry: entry.isLastTry)
        }
    }

    /// When a try is given up: a port's last try waits the full timeout a verdict needs, an earlier
    /// one only the measured round trip before it is sent again.
    private func deadline(host: Int, sentAt: ContinuousClock.Instant, isLastTry: Bool) -> ContinuousClock.Instant {
        let rtt = hosts[host].rtt
        return sentAt + (isLastTry ? rtt.timeout(settings.timing) : rtt.retransmitTimeout(settings.timing))
    }

    /// Keeps a finished socket for another connect when the targets share one family and the spare
    /// pile has room; otherwise it goes to the closer.
    private func recycle(_ socket: SocketDescriptor, mayHoldReports: Bool) {
        if family != nil, spare.count < Self.spareLimit {
            spare.append((socket, mayHoldReports))
        } else {
            finished.append(socket)
        }
    }

    private func expireProbes(_ now: ContinuousClock.Instant) {
        while let entry = table.popExpired(now: now) {
            let host = hosts[entry.probe.host]
            if !entry.isLastTry, !host.timedOut, !host.retries.mayRetry(after: entry.probe.attempt) {
                // Fewer retries are allowed than when this try went out (a new profile): it is the
                // last after all, and a verdict waits the full timeout.
                let full = entry.sentAt + host.rtt.timeout(settings.timing)
                if full > now {
                    table.reschedule(entry, deadline: full)
                    continue
                }
            }
            // A silent port's socket is reused too: closing one costs the kernel as much as the
            // connect did, and filtered ports come by the thousand on a firewalled host. Its next
            // connect gets a new source port from the kernel (RFC 6056 moves each destination's
            // starting point on every connect), so a retry never repeats the four-tuple of a try
            // the target may still be half-answering: that SYN would be reset, and an open port
            // read as closed. (Binding probe sockets to fixed ports, for a few percent, would.)
            recycle(entry.socket, mayHoldReports: true)
            unanswered(entry.probe, early: entry.deadline - entry.sentAt < host.rtt.timeout(settings.timing))
        }
    }

    private func unanswered(_ probe: Probe, early: Bool = false) {
        guard !hosts[probe.host].timedOut else { return }
        if hosts[probe.host].retries.mayRetry(after: probe.attempt) {
            retries.append(Probe(host: probe.host, port: probe.port, attempt: probe.attempt + 1,
                                 followsEarlyTimeout: early))
        } else {
            report(probe, state: .filtered, reason: .noResponse, rtt: nil)
        }
    }

    private func report(_ probe: Probe, state: PortState, reason: Reason, rtt: Duration?) {
        hosts[probe.host].reported += 1
        unreported.append(PortResult(host: hosts[probe.host].address, proto: .tcp, port: probe.port, state: state,
                                     reason: reason, technique: .connect, rtt: rtt))
        if unreported.count >= Self.resultBatch { handOver() }
    }

    // MARK: host timeout and shutdown

    private func expireHosts(_ now: ContinuousClock.Instant) {
        guard let limit = hostTimeout else { return }
        for index in hosts.indices where hosts[index].isOverdue(limit, now: now) && hosts[index].reported < portCount {
            expireHost(index)
        }
    }

    /// `--host-timeout`: as nmap does, stop probing the host; its unfinished ports get no state
    /// (they count as done for progress, and a notice says how many were left).
    private func expireHost(_ index: Int) {
        guard !hosts[index].timedOut else { return }
        hosts[index].timedOut = true
        for entry in table.removeAll(where: { $0.probe.host == index }) { sockets.close(entry.socket) }
        let left = portCount - hosts[index].reported
        sink.completed(left)
        let limit = settings.timing.hostTimeout.map { "\($0)" } ?? "its host timeout"
        emit(.notice(Notice(.warning, "\(hosts[index].address) timed out after \(limit); \(left) ports left unscanned")))
    }

    private func closeAll() {
        for entry in table.removeAll(where: { _ in true }) { sockets.close(entry.socket) }
    }
}
