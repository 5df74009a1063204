import Packets
import PortgridCore

/// The raw prober's loop: one thread, one send path, one receive path, no per-probe table. It only
/// moves packets and events: `RawPasses` decides what to send and what each reply and silence
/// means; this loop builds the packets, sends and receives them, and reports. Each turn drains the
/// receive queue (classify, mark answered, report), lets the UDP pacers expire their waits, moves
/// the pass on once its wait is over, sends the next batch the rate allows, and sleeps until a
/// packet arrives or the next thing is due (never longer than `maxSleep`, so a cancel or a pause
/// lands within milliseconds).
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
    /// What a port scan sends each port (nil for discovery, whose items are `job.discoveryProbes`).
    private let portProbe: ProbeKind?
    private var passes: RawPasses
    private var limiter: RateLimiter
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
    /// The last receive stopped at its cap with datagrams still queued: a pass does not end on its
    /// deadline before they are read (a queued reply is an answer in time, not a reason to resend).
    private var receiveBacklogged = false
    private var refusalsReported: Set<String> = []

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
        classifier = ReplyClassifier(mode: classifierMode, cookie: cookie, hosts: job.hosts, ipv6Hosts: job.ipv6Hosts,
                                     ports: job.ports, discoveryProbes: job.discoveryProbes)
        builder = RawProbeBuilder(cookie: cookie, options: job.packets)
        if case .ports(let technique) = job.kind { portProbe = ProbeKind(technique) } else { portProbe = nil }
        let settings = control.current
        settingsVersion = control.version
        var scheduler = PassScheduler(hostCount: job.hostCount, itemCount: job.itemCount,
                                      maxRetries: settings.timing.maxRetries, seed: job.seed, shard: job.shard,
                                      sequential: job.sequential, settlesHost: job.kind == .discovery)
        for (host, items) in job.finishedItems() { scheduler.finalize(host: host, items: items) }
        var watchesICMPLimits = false
        if case .ports(let technique) = job.kind { watchesICMPLimits = ICMPLimitWatch.watches(technique) }
        let isUDP = if case .ports(.udp) = job.kind { true } else { false }
        passes = RawPasses(scheduler: scheduler, profile: settings.timing, watchesICMPLimits: watchesICMPLimits,
                           refillsErrorlessHosts: isUDP)
        let now = io.now
        limiter = RateLimiter(rate: Self.effectiveRate(settings.timing, hosts: job.hostCount), now: now)
        progress = progressTotal.map { ProgressMeter(total: $0, started: sink.started, now: now, probesSent: sink.probesSent) }
        nextProgress = now + .milliseconds(250)
    }

    /// The hosts found up (discovery).
    var upHosts: Set<Int> { reporter.upHosts }
    /// By host index: found up (discovery).
    var isUp: [Bool] { reporter.isUp }

    /// `--scan-delay` as a rate (with the permutation spreading probes evenly over hosts, N hosts at
    /// one probe per delay each is N probes per delay in all), held above `--min-rate` and below
    /// `--max-rate` (`TimingProfile.bounded`).
    static func effectiveRate(_ timing: TimingProfile, hosts: Int) -> Double? {
        var adaptive: Double?
        if timing.scanDelay > .zero { adaptive = Double(max(1, hosts)) / timing.scanDelay.inSeconds }
        return timing.bounded(rate: adaptive)
    }

    // MARK: The loop

    func run() throws(ScanError) {
        while !control.isCancelled {
            refreshSettings()
            try receiveAll()
            let now = io.now
            for silent in passes.servicePacers(now: now) { reporter.portsSilent(host: silent.host, items: silent.items) }
            expireHosts(now)
            try movePassOn(now)
            if passes.isFinished { break }
            if control.current.paused {
                passes.pause(at: now)
                try io.wait(until: now + Self.maxSleep)
                continue
            }
            passes.resume(at: now)
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
        passes.profile = control.current.timing
        limiter.setRate(Self.effectiveRate(passes.profile, hosts: job.hostCount))
    }

    private func nextWake(_ now: Instant) -> Instant {
        var wake = now + Self.maxSleep
        if hasBacklog {
            wake = min(wake, now + .milliseconds(1))
        } else if passes.isSendingPass {
            wake = min(wake, now + limiter.delayUntilNext())
        } else if passes.isReadyToWait {
            // The pass was just fully sent: its wait starts now, not when some packet happens to arrive.
            wake = now
        }
        if let deadline = passes.passDeadline { wake = min(wake, deadline) }
        if let due = passes.earlyRetryDue { wake = min(wake, due) }
        if let event = passes.pacerEvent { wake = min(wake, event) }
        if progress != nil { wake = min(wake, nextProgress) }
        return wake
    }

    // MARK: Receiving

    private func receiveAll() throws(ScanError) {
        var total = 0
        receiveBacklogged = false
        while total < 16 * Self.receiveBatch {
            let now = io.now
            let tracer = sink.tracer
            let count = try io.receive(limit: Self.receiveBatch) { bytes in
                if let tracer, let line = PacketTraceText.line(.received, tracer.elapsed(), packet: bytes) {
                    sink.trace(line)
                }
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
        case .port(let answer):
            let (isFirst, rtt) = passes.answered(answer, at: now)
            if isFirst { reporter.portAnswered(answer, rtt: rtt) }
        case .host(let answer):
            let (isFirst, rtt) = passes.answered(answer, at: now)
            if isFirst { reporter.hostUp(answer, rtt: rtt) }
        case .ignored:
            break
        }
    }

    // MARK: Passes

    private func movePassOn(_ now: Instant) throws(ScanError) {
        guard !hasBacklog else { return }
        if passes.isReadyToWait {
            // The wait counts from when the pass's last probe really left (a send thread may
            // still have been sending it).
            passes.startWait(sendsFinished: try finishSends(), now: now)
        }
        switch passes.advance(now: now, receiveBacklogged: receiveBacklogged) {
        case .none:
            break
        case .sendCanaries(let canaries):
            startBatch()
            for probe in canaries { append(probe) }
        case .ended(let silent):
            for position in silent.indices {
                switch job.kind {
                case .ports:
                    let entry = silent[position]
                    reporter.portsSilent(host: entry.host, items: entry.items)
                case .discovery: reporter.hostDown(silent.host(at: position))
                }
            }
        }
    }

    /// `--host-timeout` (`HostTimeouts`): the hosts given up on get a notice; their ports count as done.
    private func expireHosts(_ now: Instant) {
        for expired in passes.expireHosts(now: now) {
            sink.completed(expired.left)
            sink.send(.notice(HostTimeouts.notice(host: job.address(expired.host),
                                                  limit: passes.profile.hostTimeout, left: expired.left)))
        }
    }

    // MARK: Sending

    private func sendBatch(_ now: Instant) throws(ScanError) {
        if hasBacklog {
            try flush()
            if hasBacklog { return }
        }
        startBatch()
        for probe in passes.pacedProbes(now: now, limit: Self.batchSize) { append(probe) }
        if passes.isSendingPass || passes.mayRetryEarly {
            let allowed = limiter.take(Self.batchSize, now: now)
            // Second tries that are due go first: they are the older probes.
            var taken = 0
            for probe in passes.earlyRetries(at: now, limit: allowed) {
                append(probe)
                taken += 1
            }
            var passProbes = 0
            while taken < allowed, let probe = passes.nextPassProbe(at: now) {
                append(probe)
                taken += 1
                passProbes += 1
            }
            limiter.giveBack(allowed - taken)
            backlogHasPassProbes = passProbes > 0
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
        switch job.kind {
        case .ports:
            guard let portProbe else { return }
            write(portProbe, host: probe.host, port: job.ports[probe.item], tryNumber: probe.tryNumber)
        case .discovery:
            let (kind, port) = job.discoveryProbes[probe.item]
            write(kind, host: probe.host, port: port, tryNumber: probe.tryNumber)
        }
    }

    /// The one place the loop asks which family a host is: to pick the packet writer.
    private func write(_ kind: ProbeKind, host: Int, port: UInt16, tryNumber: Int) {
        if host < job.hosts.count {
            builder.write(kind, source: job.sources[host], destination: job.hosts[host], port: port,
                          tryNumber: tryNumber, into: &backlog)
        } else {
            let index = host - job.hosts.count
            builder.writeIPv6(kind, source: job.ipv6Sources[index], destination: job.ipv6Hosts[index], port: port,
                          tryNumber: tryNumber, into: &backlog)
        }
    }

    private func flush() throws(ScanError) {
        let report = try io.send(backlog, backlogStart ..< backlog.count)
        if let tracer = sink.tracer {
            let elapsed = tracer.elapsed()
            for index in backlogStart ..< backlogStart + report.consumed {
                if let line = PacketTraceText.line(.sent, elapsed, packet: backlog.packet(index)) { sink.trace(line) }
            }
        }
        if report.consumed > 0 {
            sink.probeSent(report.consumed)
            backlogStart += report.consumed
            // A pass's wait counts from its last probe's send.
            if backlogHasPassProbes { passes.passProbesLeft(at: io.now) }
            if !hasBacklog { passes.sendsTaken(at: io.now) }
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
            // A sweep's refused probes are to hosts (a broadcast address, say), a port scan's to ports.
            let lost = if case .ports = job.kind { "those ports are reported" } else { "those hosts are judged" }
            sink.send(.notice(Notice(.warning, "the local kernel refused some probes (\(refusal)); "
                                     + "\(lost) as if the probes were lost")))
        }
    }
}

