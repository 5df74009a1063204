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
    /// A pass's deadline is worked out again (a walk over the hosts) at most this often.
    static let deadlineRefreshInterval: Duration = .milliseconds(2)

    private let job: RawJob
    private let io: any RawPacketIO
    private let control: ScanControl
    private let sink: EventSink
    private var reporter: RawOutcomeReporter
    private let classifier: ReplyClassifier
    private let builder: RawProbeBuilder
    /// What a port scan sends each port (nil for discovery, which sends `job.discoveryProbes`).
    private let portProbe: ProbeKind?
    private var scheduler: PassScheduler
    private var timings: HostTimings
    /// UDP only: rate-limited hosts and their pacers.
    private var watch: ICMPLimitWatch?
    private var limiter: RateLimiter
    private var profile: TimingProfile
    private var settingsVersion: Int
    private var progress: ProgressMeter?
    private var nextProgress: Instant

    /// Packets built and not yet taken by the kernel: `backlog[backlogStart...]`. Its memory is
    /// reused batch after batch.
    private var backlog = PacketBatch(capacity: RawProbeEngine.batchSize)
    private var backlogStart = 0
    private var hasBacklog: Bool { backlogStart < backlog.count }
    /// The backlog holds probes of the current pass (not only a pacer's or canaries).
    private var backlogHasPassProbes = false
    private var lastPassSend: Instant?
    /// Once the pass is fully sent: when its last probe left (moved on by pauses), and when its
    /// wait ends, as worked out from the round trips and retry allowances known then.
    private var passWaitStart: Instant?
    private var passDeadline: Instant?
    private var deadlineBasis = (samples: 0, allowanceChanges: 0)
    private var nextDeadlineRefresh: Instant
    /// UDP: the first pass's end has been checked for hosts that need a refill wait.
    private var refillWaitChecked = false
    /// No host takes part in the passes any more; only pacers work.
    private var passesIdle = false
    /// The last receive stopped at its cap with datagrams still queued: a pass does not end on its
    /// deadline before they are read (a queued reply is an answer in time, not a reason to resend).
    private var receiveBacklogged = false
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
        if case .ports(let technique) = job.kind { portProbe = ProbeKind(technique) } else { portProbe = nil }
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
        nextDeadlineRefresh = now
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
            try closePassIfDue(now)
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
            passWaitStart = passWaitStart.map { $0 + (now - since) }
            pausedSince = nil
        }
        return false
    }

    private func nextWake(_ now: Instant) -> Instant {
        var wake = now + Self.maxSleep
        if hasBacklog {
            wake = min(wake, now + .milliseconds(1))
        } else if !passesIdle && !scheduler.isPassFullySent {
            wake = min(wake, now + limiter.delayUntilNext())
        } else if !passesIdle && passWaitStart == nil {
            // The pass was just fully sent: its wait starts now, not when some packet happens to arrive.
            wake = now
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
    private func retransmitTimeout(_ host: Int) -> Duration { timings.retransmitTimeout(host: host, profile) }

    // MARK: Receiving

    private func receiveAll() throws(ScanError) {
        var total = 0
        receiveBacklogged = false
        while total < 16 * Self.receiveBatch {
            let now = io.now
            let count = try io.receive(limit: Self.receiveBatch) { bytes in
                handle(classifier.classify(datagram: bytes), at: now)
            }
            total += count
            reporter.flush()
            if count < Self.receiveBatch { return }
        }
        receiveBacklogged = true
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

    private func closePassIfDue(_ now: Instant) throws(ScanError) {
        guard !passesIdle, scheduler.isPassFullySent, !hasBacklog else { return }
        if passWaitStart == nil {
            // The wait counts from when the pass's last probe really left (a send thread may
            // still have been sending it).
            var lastSend = lastPassSend ?? now
            if let finished = try finishSends() { lastSend = max(lastSend, finished) }
            passWaitStart = lastSend
            passDeadline = passWaitEnd(from: lastSend)
        } else if now >= nextDeadlineRefresh && !refillWaitChecked
                    && (timings.samples, scheduler.allowanceChanges) != deadlineBasis {
            // Answers that came in during the wait: round trips measured (a pass sent before any
            // answer waited for the initial timeout), or an allowance raised by an answered
            // retransmission (that host's silence is no longer final at this pass end).
            passDeadline = passWaitEnd(from: passWaitStart!)
            nextDeadlineRefresh = now + Self.deadlineRefreshInterval
        }
        let allDecided = scheduler.remaining == (watch?.pendingCount ?? 0)
        guard allDecided || now >= passDeadline! && !receiveBacklogged else { return }
        if scheduler.pass == 0, let watch, !allDecided, !refillWaitChecked {
            // Only once the first tries had their timeout is it known which hosts sent no error at
            // all; those may have had none left, and their retransmissions wait for a refill.
            refillWaitChecked = true
            if watch.needsRefillWait(scheduler) {
                passDeadline = max(passDeadline!, passWaitStart! + ICMPLimitWatch.refillWait)
                if now < passDeadline! { return }
            }
        }
        if var watch {
            defer { self.watch = watch }
            if scheduler.pass == 0 {
                switch watch.firstPassEnded(now: now, scheduler: &scheduler, maxRetries: profile.maxRetries,
                                            timeout: timeout) {
                case .send(let canaries, _):
                    startBatch()
                    for probe in canaries { append(probe) }
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
        passWaitStart = nil
        refillWaitChecked = false
        lastPassSend = nil
        passesIdle = !scheduler.hasPassWork
    }

    /// When the wait of a pass whose last probe left at `lastSend` ends, from what is known now.
    private func passWaitEnd(from lastSend: Instant) -> Instant {
        deadlineBasis = (timings.samples, scheduler.allowanceChanges)
        return lastSend + passTimeout()
    }

    /// How long the pass's last probes get, the longest among hosts still owing answers: the full
    /// timeout for a host whose silence this pass end makes final (no port is called silent before
    /// its last probe had it), the retransmit timeout for one that only gets another try. Taken at
    /// the end of the pass, and again as answers come in, not when its first probes left, so the
    /// round trips measured during the pass count (the profile's initial timeout is for the first
    /// probes only).
    private func passTimeout() -> Duration {
        // UDP's first pass end also reads the signs of an ICMP limiter (which hosts sent errors,
        // how many, which ports to use as canaries): they need the first tries' errors all in.
        let fullWaitForAll = watch != nil && scheduler.pass == 0
        var longest = Duration.zero
        for host in 0..<job.hosts.count where !scheduler.isDetached(host)
            && scheduler.answered.unansweredCount(host: host) > 0 {
            let final = fullWaitForAll || scheduler.passEndIsFinal(for: host)
            longest = max(longest, final ? timeout(host) : retransmitTimeout(host))
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
        if hasBacklog {
            try flush()
            if hasBacklog { return }
        }
        startBatch()
        if var watch {
            for probe in watch.nextProbes(now: now, limit: Self.batchSize, timeout: timeout) { append(probe) }
            self.watch = watch
        }
        if !passesIdle && !scheduler.isPassFullySent {
            var taken = 0
            let allowed = limiter.take(Self.batchSize, now: now)
            while taken < allowed, let probe = scheduler.nextProbe() {
                if firstSent[probe.host] == nil { firstSent[probe.host] = now }
                append(probe)
                timings.sent(probe, at: now, profile: profile)
                taken += 1
            }
            backlogHasPassProbes = taken > 0
        }
        guard hasBacklog else { return }
        try flush()
    }

    /// Empties the backlog (all of it was sent) for a new batch, keeping its memory.
    private func startBatch() {
        backlog.removeAll()
        backlogStart = 0
        backlogHasPassProbes = false
    }

    private func append(_ probe: WorkItem) {
        let destination = job.hosts[probe.host], source = job.sources[probe.host]
        switch job.kind {
        case .ports:
            guard let portProbe else { return }
            builder.write(portProbe, source: source, destination: destination, port: job.ports[probe.item],
                          tryNumber: probe.tryNumber, into: &backlog)
        case .discovery:
            for (kind, port) in job.discoveryProbes {
                builder.write(kind, source: source, destination: destination, port: port,
                              tryNumber: probe.tryNumber, into: &backlog)
            }
        }
    }

    private func flush() throws(ScanError) {
        let report = try io.send(backlog, backlogStart ..< backlog.count)
        if report.consumed > 0 {
            sink.probeSent(report.consumed)
            backlogStart += report.consumed
            // A pass's wait counts from its last probe's send.
            if backlogHasPassProbes { lastPassSend = io.now }
        }
        noteRefusals(report)
    }

    /// Waits for sends still on their way; returns when the last of them left, if any were.
    private func finishSends() throws(ScanError) -> Instant? {
        let report = try io.finishSends()
        noteRefusals(report)
        return report.finishedAt
    }

    private func noteRefusals(_ report: SendReport) {
        if let refusal = report.lastRefusal, refusalsReported.insert(refusal).inserted {
            sink.send(.notice(Notice(.warning, "the local kernel refused some probes (\(refusal)); "
                                     + "those ports are reported as if the probes were lost")))
        }
    }
}

