import Packets
import PortgridCore

/// The raw prober: one thread, one send path, one receive path, no per-probe table. Each turn of
/// the loop drains the receive queue (classify, mark answered, report), lets the UDP pacers expire
/// their waits, closes a pass once its wait is over, sends the next batch the rate allows, and
/// sleeps until a packet arrives or the next thing is due (never longer than `maxSleep`, so a
/// cancel or a pause lands within milliseconds).
final class RawProbeEngine {
    typealias Instant = ContinuousClock.Instant

    /// Probes per send call: big enough that the second send thread's handoff costs little, small
    /// enough that replies are read every millisecond or so.
    static let batchSize = 256
    static let receiveBatch = 256
    static let maxSleep: Duration = .milliseconds(20)

    private let job: RawJob
    private let io: any RawPacketIO
    private let control: ScanControl
    private let sink: EventSink
    private var reporter: RawOutcomeReporter
    private let classifier: ReplyClassifier
    private let builder: RawProbeBuilder
    private var scheduler: PassScheduler
    private var timings: HostTimings
    /// UDP only: rate-limited hosts and their pacers.
    private var watch: ICMPLimitWatch?
    private var limiter: RateLimiter
    private var profile: TimingProfile
    private var settingsVersion: Int
    private var progress: ProgressMeter?
    private var nextProgress: Instant

    private var backlog: [OutgoingPacket] = []
    private var passDeadline: Instant?
    private var lastPassSend: Instant?
    /// No host takes part in the passes any more; only pacers work.
    private var passesIdle = false
    private var pausedSince: Instant?
    private var refusalsReported: Set<String> = []
    /// `--host-timeout`: when each host got its first probe, and the hosts given up on.
    private var firstSent: [Instant?]
    private var timedOut: Set<Int> = []
    private var nextHostTimeoutCheck: Instant

    init(job: RawJob, io: any RawPacketIO, control: ScanControl, sink: EventSink, reporter: RawOutcomeReporter,
         cookie: ProbeCookie, progressTotal: Int?) {
        self.job = job
        self.io = io
        self.control = control
        self.sink = sink
        self.reporter = reporter
        let classifierMode: ReplyClassifier.Mode
        switch job.kind {
        case .ports(let technique): classifierMode = .ports(technique)
        case .discovery: classifierMode = .discovery
        }
        classifier = ReplyClassifier(mode: classifierMode, cookie: cookie, hosts: job.hosts, ports: job.ports)
        builder = RawProbeBuilder(cookie: cookie)
        let settings = control.current
        profile = settings.timing
        settingsVersion = control.version
        scheduler = PassScheduler(hostCount: job.hosts.count, itemCount: job.itemCount,
                                  maxRetries: settings.timing.maxRetries, seed: job.seed, shard: job.shard)
        timings = HostTimings(hostCount: job.hosts.count)
        let now = io.now
        limiter = RateLimiter(rate: Self.effectiveRate(settings.timing, hosts: job.hosts.count), now: now)
        progress = progressTotal.map { ProgressMeter(total: $0, started: now) }
        nextProgress = now + .milliseconds(250)
        if case .ports(.udp) = job.kind { watch = ICMPLimitWatch(hostCount: job.hosts.count) }
        firstSent = [Instant?](repeating: nil, count: job.hosts.count)
        nextHostTimeoutCheck = now
    }

    /// The hosts found up (discovery).
    var upHosts: Set<Int> { reporter.upHosts }

    /// `--max-rate`, and `--scan-delay` as a rate: with the permutation spreading probes evenly over
    /// hosts, N hosts at one probe per delay each is N probes per delay in all.
    static func effectiveRate(_ timing: TimingProfile, hosts: Int) -> Double? {
        var rate = timing.maxRate
        if timing.scanDelay > .zero {
            let perDelay = Double(max(1, hosts)) / ProgressMeter.seconds(timing.scanDelay)
            rate = min(rate ?? perDelay, perDelay)
        }
        return rate
    }

    // MARK: The loop

    func run() throws(ScanError) {
        while !control.isCancelled {
            refreshSettings()
            try receiveAll()
            let now = io.now
            servicePacers(now)
            expireHosts(now)
            closePassIfDue(now)
            if scheduler.isFinished { break }
            if paused(now) {
                try io.wait(until: now + Self.maxSleep)
                continue
            }
            try sendBatch(now)
            reportProgress(io.now)
            try io.wait(until: nextWake(io.now))
        }
        sink.flush()
        if !control.isCancelled, var meter = progress {
            sink.send(.progress(meter.final(now: io.now, completed: sink.completedCount, probesSent: sink.probesSent)))
            progress = meter
        }
    }

    private func reportProgress(_ now: Instant) {
        sink.flushIfDue(now: now)
        guard var meter = progress, now >= nextProgress else { return }
        if let report = meter.report(now: now, completed: sink.completedCount, probesSent: sink.probesSent) {
            sink.send(.progress(report))
        }
        progress = meter
        nextProgress = now + meter.interval
    }

    private func refreshSettings() {
        let version = control.version
        guard version != settingsVersion else { return }
        settingsVersion = version
        profile = control.current.timing
        limiter.setRate(Self.effectiveRate(profile, hosts: job.hosts.count))
    }

    private func paused(_ now: Instant) -> Bool {
        if control.current.paused {
            if pausedSince == nil { pausedSince = now }
            return true
        }
        if let since = pausedSince {
            // The pause does not count against the pass's wait.
            passDeadline = passDeadline.map { $0 + (now - since) }
            pausedSince = nil
        }
        return false
    }

    private func nextWake(_ now: Instant) -> Instant {
        var wake = now + Self.maxSleep
        if !backlog.isEmpty {
            wake = min(wake, now + .milliseconds(1))
        } else if !passesIdle && !scheduler.isPassFullySent {
            wake = min(wake, now + limiter.delayUntilNext())
        }
        if let canaryDeadline = watch?.canaryDeadline {
            wake = min(wake, canaryDeadline)
        } else if let passDeadline {
            wake = min(wake, passDeadline)
        }
        if let event = watch?.nextEvent(timeout: timeout) { wake = min(wake, event) }
        if progress != nil { wake = min(wake, nextProgress) }
        return wake
    }

    private func timeout(_ host: Int) -> Duration { timings.timeout(host: host, profile) }

    // MARK: Receiving

    private func receiveAll() throws(ScanError) {
        var total = 0
        while total < 16 * Self.receiveBatch {
            let now = io.now
            let count = try io.receive(limit: Self.receiveBatch) { bytes in
                handle(classifier.classify(datagram: bytes), at: now)
            }
            total += count
            if count < Self.receiveBatch { break }
        }
    }

    private func handle(_ verdict: ReplyVerdict, at now: Instant) {
        switch verdict {
        case .port(let answer): apply(answer, at: now)
        case .host(let answer): apply(answer, at: now)
        case .ignored: break
        }
    }

    private func apply(_ answer: PortAnswer, at now: Instant) {
        let host = answer.host
        let rtt = timings.answered(host: host, item: answer.item, tryNumber: answer.tryNumber, at: now)
        watch?.observe(answer, at: now)
        guard scheduler.recordAnswer(host: host, item: answer.item, tryNumber: answer.tryNumber) else { return }
        watch?.observeFirst(answer)
        reporter.portAnswered(answer, rtt: rtt)
    }

    private func apply(_ answer: HostAnswer, at now: Instant) {
        let rtt = timings.answered(host: answer.host, item: 0, tryNumber: answer.tryNumber, at: now)
        guard scheduler.recordAnswer(host: answer.host, item: 0, tryNumber: answer.tryNumber) else { return }
        reporter.hostUp(answer, rtt: rtt)
    }

    // MARK: Passes and pacers

    private func closePassIfDue(_ now: Instant) {
        guard !passesIdle, scheduler.isPassFullySent, backlog.isEmpty else { return }
        if passDeadline == nil {
            let lastSend = lastPassSend ?? now
            passDeadline = lastSend + passTimeout()
            if scheduler.pass == 0, let watch, watch.needsRefillWait(scheduler) {
                passDeadline = max(passDeadline!, lastSend + ICMPLimitWatch.refillWait)
            }
        }
        guard scheduler.remaining == (watch?.pendingCount ?? 0) || now >= passDeadline! else { return }
        if var watch {
            defer { self.watch = watch }
            if scheduler.pass == 0 {
                switch watch.firstPassEnded(now: now, scheduler: &scheduler, maxRetries: profile.maxRetries,
                                            timeout: timeout) {
                case .send(let canaries, _):
                    for probe in canaries { append(probe, to: &backlog) }
                    return
                case .waiting:
                    return
                case .over:
                    break
                }
            } else {
                watch.laterPassEnded(now: now, scheduler: &scheduler, maxRetries: profile.maxRetries)
            }
        }
        for (host, items) in scheduler.endPass() {
            switch job.kind {
            case .ports: reporter.portsSilent(host: host, items: items)
            case .discovery: reporter.hostDown(host)
            }
        }
        passDeadline = nil
        lastPassSend = nil
        passesIdle = !scheduler.hasPassWork
    }

    /// How long the pass's last probes get: the longest timeout among hosts still owing answers,
    /// as estimated now. Taken at the end of the pass, not when its first probes left, so the
    /// round trips measured during the pass count (the profile's initial timeout is for the
    /// first probes only).
    private func passTimeout() -> Duration {
        var longest = Duration.zero
        for host in 0..<job.hosts.count where !scheduler.isDetached(host)
            && scheduler.answered.unansweredCount(host: host) > 0 {
            longest = max(longest, timeout(host))
        }
        return longest
    }

    private func servicePacers(_ now: Instant) {
        guard var watch else { return }
        let (silent, released) = watch.service(now: now, scheduler: &scheduler)
        self.watch = watch
        for (host, items) in silent { reporter.portsSilent(host: host, items: items) }
        if released { passesIdle = false }
    }

    /// `--host-timeout`, as nmap has it: a host still unfinished that long after its first probe
    /// is given up: its remaining ports get no state (they count as done for progress) and a
    /// notice says how many were left. Checked a few times a second.
    private func expireHosts(_ now: Instant) {
        guard let limit = profile.hostTimeout, now >= nextHostTimeoutCheck else { return }
        nextHostTimeoutCheck = now + .milliseconds(250)
        for host in 0..<job.hosts.count where !timedOut.contains(host) {
            guard let first = firstSent[host], now - first >= limit else { continue }
            let left = scheduler.answered.unanswered(host: host)
            guard !left.isEmpty else { continue }
            timedOut.insert(host)
            watch?.abandon(host)
            scheduler.finalize(host: host, items: left)
            sink.completed(left.count)
            let address = IPv4Address(job.hosts[host])
            sink.send(.notice(Notice(.warning, "\(address) timed out after \(limit); \(left.count) ports left unscanned")))
        }
    }

    // MARK: Sending

    private func sendBatch(_ now: Instant) throws(ScanError) {
        if !backlog.isEmpty {
            try flush(now)
            if !backlog.isEmpty { return }
        }
        var batch: [OutgoingPacket] = []
        batch.reserveCapacity(Self.batchSize * 3)
        if var watch {
            for probe in watch.nextProbes(now: now, limit: Self.batchSize, timeout: timeout) { append(probe, to: &batch) }
            self.watch = watch
        }
        if !passesIdle && !scheduler.isPassFullySent {
            let allowed = limiter.take(Self.batchSize, now: now)
            var taken = 0
            while taken < allowed, let probe = scheduler.nextProbe() {
                if firstSent[probe.host] == nil { firstSent[probe.host] = now }
                append(probe, to: &batch)
                timings.sent(probe, at: now, profile: profile)
                taken += 1
            }
            if taken > 0 { lastPassSend = now }
        }
        guard !batch.isEmpty else { return }
        backlog = batch
        try flush(now)
    }

    private func append(_ probe: WorkItem, to batch: inout [OutgoingPacket]) {
        let destination = job.hosts[probe.host], source = job.sources[probe.host]
        for (kind, port) in job.probes(item: probe.item) {
            let bytes = builder.packet(kind, source: source, destination: destination, port: port,
                                       tryNumber: probe.tryNumber)
            batch.append(OutgoingPacket(bytes: bytes, destination: destination))
        }
    }

    private func flush(_ now: Instant) throws(ScanError) {
        let report = try io.send(backlog[...])
        if report.consumed > 0 {
            sink.probeSent(report.consumed)
            backlog.removeFirst(report.consumed)
        }
        if let refusal = report.lastRefusal, refusalsReported.insert(refusal).inserted {
            sink.send(.notice(Notice(.warning, "the local kernel refused some probes (\(refusal)); "
                                     + "those ports are reported as if the probes were lost")))
        }
    }
}
