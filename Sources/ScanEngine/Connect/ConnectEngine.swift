import CPortgridSystem
import PortgridCore

/// The connect scan's event loop: thousands of non-blocking connects on one epoll set. It only
/// moves bytes and events: it asks `ConnectScheduler` what to start and tells it what came back,
/// takes sockets from and gives them back to `SocketPool`, and hands the scheduler's output to the
/// sink. A scan may run several of these workers, one per thread, each taking the next indices of
/// the shared walk as it has room. Each turn it reads the controls, sends what the scheduler
/// allows, waits at most 10 ms for answers (so a cancel or a timing change lands within
/// milliseconds), then lets the scheduler give up what is overdue. Not Sendable: each worker's
/// engine lives on its own thread.
final class ConnectEngine {
    /// Longest single wait: bounds how late a cancel or pause is noticed.
    static let turn = Duration.milliseconds(10)
    /// Events a probe socket is watched for. Edge-triggered: a finished socket (waiting for the
    /// closer, or for reuse) is in CLOSE state, which level-triggered epoll would report on every
    /// wait; and a reused socket needs no epoll_ctl per probe (a one-shot watch would need a re-arm
    /// each time). A wake-up that finds the socket connecting again reports nothing: epoll reads
    /// the state when it reports.
    static let watchedEvents = EpollEvent.writable | EpollEvent.edgeTriggered

    private let control: ScanControl
    private let sink: EventSink
    private let system: any SystemCalls
    private let sockets: SocketOperations
    private let pool: SocketPool
    private let epoll: Epoll
    private let share: WorkerShare
    private var scheduler: ConnectScheduler
    private var meter: ProgressMeter
    private var settings: ScanControl.Settings
    private var settingsVersion: Int
    /// One clock read serves every answer of a wake-up: they all arrived before it.
    private var wokeAt: ContinuousClock.Instant?

    /// `fileLimit` is this worker's part of the descriptors; `walk` is shared by all the scan's
    /// workers (each its own `share`).
    init(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64, system: any SystemCalls,
         fileLimit: Int, share: WorkerShare = .whole, walk: ProbeCursor? = nil) throws(ScanError) {
        self.control = control
        self.sink = sink
        self.system = system
        self.share = share
        sockets = SocketOperations(system: system, packets: plan.packets)
        let families = Set(plan.hosts.map { SocketAddress($0, port: 0).family })
        let family = families.count == 1 ? families.first : nil
        // Stocked sockets sit outside the window's count, so the stock stays a small share of the
        // descriptors kept in reserve, and never more than the scan has probes. With several
        // workers every core already runs a loop: a supply thread would only compete.
        let stock = Swift.min(512, ProbeWindow.reserve(fileLimit: fileLimit) / 4, plan.totalWork)
        let stocked = share.count == 1 && stock >= 8 ? stock : nil
        // The window's ceiling plus the stock: what the descriptors left after the reserve allow.
        pool = SocketPool(sockets: sockets, family: family, stock: stocked,
                          budget: ProbeSocketBudget(limit: ProbeWindow.ceiling(fileLimit: fileLimit) + (stocked ?? 0)))
        do { epoll = try Epoll(system: system) } catch { throw error.scanError("epoll_create1") }
        let settings = control.current
        self.settings = settings
        settingsVersion = control.version
        var timed = plan
        timed.timing = settings.timing
        let now = system.now()
        scheduler = ConnectScheduler(plan: timed, seed: seed, walk: walk ?? ProbeCursor(count: UInt64(plan.totalWork)),
                                     share: share, fileLimit: fileLimit, now: now)
        meter = ProgressMeter(total: plan.progressWork, started: sink.started, now: now, probesSent: sink.probesSent)
    }

    /// Runs until every (host, port) has a final state or the scan is cancelled. Whatever way it
    /// ends, every socket is closed before it returns.
    func run() throws(ScanError) {
        defer {
            handOver()
            pool.shutdown()
        }
        while !control.isCancelled {
            readSettings()
            if !settings.paused { try sendBurst() }
            if scheduler.isDone || control.isCancelled { break }
            wokeAt = nil
            let wait = scheduler.waitTime(now: system.now(), paused: settings.paused, longest: Self.turn)
            do {
                try epoll.wait(timeout: wait) { event in self.complete(event) }
            } catch {
                throw error.scanError("epoll_wait")
            }
            // Only now, with every answer that has arrived read, is silence silence.
            let now = system.now()
            while let socket = scheduler.popExpired(now: now) { pool.release(socket, .reuse(mayHoldReports: true)) }
            scheduler.expireHosts(now: now)
            handOver()
            sink.flushIfDue(now: now)
            if let progress = meter.report(now: now, completed: sink.completedCount, probesSent: sink.probesSent),
               share.reportsProgress {
                sink.send(.progress(progress))
            }
        }
    }

    /// Gives the sink the scheduler's output (results before any notice, so consumers see them in
    /// order) and the closer the sockets finished with.
    private func handOver() {
        if !scheduler.output.isEmpty {
            let output = scheduler.output
            for socket in output.abandoned { pool.release(socket, .close) }
            if output.sent > 0 { sink.probeSent(output.sent) }
            if !output.results.isEmpty { sink.results(output.results) }
            if output.completed > 0 { sink.completed(output.completed) }
            for notice in output.notices { sink.send(.notice(notice)) }
            scheduler.outputDelivered()
        }
        pool.flush()
    }

    private func readSettings() {
        let version = control.version
        guard version != settingsVersion else { return }
        settingsVersion = version
        settings = control.current
        scheduler.apply(settings.timing)
    }

    // MARK: sending

    private func sendBurst() throws(ScanError) {
        var now = system.now()
        var allowed = scheduler.burstSize(now: now, closesPending: pool.pendingCloses)
        guard allowed > 0 else { return }
        pool.beginBurst(allowed)
        defer { pool.endBurst() }
        var sent = 0
        while allowed > 0, let probe = scheduler.nextProbe(now: now) {
            guard try launch(probe, now: now) else { break }
            allowed -= 1
            sent += 1
            // A burst takes a while: keep the send times honest and cancellation prompt.
            if sent & 15 == 0 {
                if control.isCancelled { return }
                now = system.now()
            }
        }
        scheduler.burstEnded(sent: sent, now: now)
    }

    /// Starts one connect. Returns false when the kernel is short of resources (the scheduler
    /// puts the probe back and this burst stops).
    private func launch(_ probe: Probe, now: ContinuousClock.Instant) throws(ScanError) -> Bool {
        let destination = scheduler.destination(of: probe)
        guard let (socket, watched) = try pool.checkout(family: destination.family) else {
            scheduler.noSocket(for: probe, now: now)
            return false
        }
        let result: ConnectResult?
        do {
            result = try sockets.startConnect(socket, to: destination) ? connected(socket, to: destination) : nil
        } catch {
            result = .failed(error, icmp: error.isLocalShortage ? nil : sockets.icmpReport(socket))
        }
        if sink.tracer != nil { trace(destination, result) }
        switch scheduler.launched(probe, slot: socket, result: result, now: now) {
        case .inFlight:
            guard !watched else { return true }
            do {
                try epoll.add(socket, events: Self.watchedEvents, data: InFlightProbe.token(socket))
            } catch {
                scheduler.withdraw(socket)
                pool.release(socket, .close)
                throw error.scanError("epoll_ctl")
            }
            return true
        case .finished(let fate):
            pool.release(socket, fate)
            return true
        case .shortage:
            pool.release(socket, .close)
            return false
        }
    }

    // MARK: answers

    private func complete(_ event: EpollEvent) {
        guard let entry = scheduler.takeInFlight(InFlightProbe.socket(token: event.data)) else { return }
        let now = wokeAt ?? system.now()
        wokeAt = now
        // Writable without an error bit is a finished connect (SO_ERROR is only ever set together
        // with EPOLLERR), so the open port needs no getsockopt.
        let destination = scheduler.destination(of: entry.probe)
        var error: Errno? = nil
        var disconnected = false
        if event.hasError {
            switch sockets.reapFailedConnect(entry.socket, to: destination) {
            case .failed(let failed):
                error = failed
                disconnected = true
            case .connected:
                break
            case .connecting:
                do { error = try sockets.pendingError(entry.socket) } catch let failed { error = failed }
            }
        }
        let result: ConnectResult
        if let error {
            result = .failed(error, icmp: sockets.icmpReport(entry.socket))
        } else {
            result = connected(entry.socket, to: destination)
        }
        if sink.tracer != nil { trace(destination, result) }
        pool.release(entry.socket, scheduler.answered(entry, result: result, now: now), disconnected: disconnected)
        if scheduler.outputIsDue { handOver() }
    }

    /// `--packet-trace`: what the kernel said of a connect, when it was started (nil: still in
    /// progress) and when it finished, as nmap's `CONN` lines.
    private func trace(_ destination: SocketAddress, _ result: ConnectResult?) {
        guard let tracer = sink.tracer else { return }
        let outcome = switch result {
        case nil: "Operation now in progress"
        case .connected: "Connected"
        case .failed(let error, _): error.message
        }
        sink.trace(PacketTraceText.connect(tracer.elapsed(), host: destination.host, port: destination.port,
                                           outcome: outcome))
    }

    /// A connect that succeeded. Scanning one of our own addresses, a port inside the ephemeral
    /// range can be picked as our own source port, and TCP's simultaneous open then "succeeds"
    /// with nobody listening: the scheduler is told it was a self-connect. (One getsockname per
    /// open port: open ports are few.) Only a connected socket lingers after close, so only it
    /// needs SO_LINGER {1, 0}: its close sends RST and leaves no TIME_WAIT. (Set here rather than
    /// on every socket: one call less per closed or filtered port.)
    private func connected(_ socket: SocketDescriptor, to destination: SocketAddress) -> ConnectResult {
        let selfConnect = sockets.localAddress(socket) == destination
        try? sockets.setResetOnClose(socket)
        return .connected(selfConnect: selfConnect)
    }
}
