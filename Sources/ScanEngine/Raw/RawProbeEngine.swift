import Packets
import PortgridCore

/// The raw prober: one thread, one send path, one receive path, no per-probe table. Each turn of
/// the loop drains the receive queue (classify, mark answered, report), lets the UDP pacers expire
/// their waits, closes a pass once its wait is over, sends the next batch the rate allows, and
/// sleeps until a packet arrives or the next thing is due (never longer than `maxSleep`, so a
/// cancel or a pause lands within milliseconds).
final class RawProbeEngine {
    typealias Instant = ContinuousClock.Instant

    static let batchSize = 64
    static let receiveBatch = 256
    static let maxSleep: Duration = .milliseconds(20)
    /// Try number of canary probes (see `checkCanaries`).
    static let canaryTry = ICMPRateLimitPacer.firstPacedTry
    /// Canaries per suspect host: a limiter with a token or two left cannot answer them all.
    static let canariesPerHost = 3
    /// Linux's per-peer ICMP limiter refills one error a second (`net.ipv4.icmp_ratelimit`). A UDP
    /// host that sent no error at all in the first pass may have had none left (an earlier scan
    /// spent them): it gets this long before its retransmissions, so a refilled token can show.
    static let icmpRefillWait: Duration = .seconds(1)

    private let job: RawJob
    private let io: any RawPacketIO
    private let control: ScanControl
    private let sink: EventSink
    private var reporter: RawOutcomeReporter
    private let classifier: ReplyClassifier
    private let builder: RawProbeBuilder
    private var scheduler: PassScheduler
    private var timings: HostTimings
    private var pacers: [Int: ICMPRateLimitPacer] = [:]
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
    private var icmpErrors: [Int]
    /// ICMP errors answering first tries: how big the host's error bucket is, at least.
    private var firstTryErrors: [Int]
    /// ICMP errors answering a retransmission since the last pass ended (UDP pacer trigger).
    private var lateICMPErrors: [Int]
    /// Per host, a few ports that answered with an ICMP error: canaries for the limiter check.
    private var errorItems: [Int: [Int]] = [:]
    private var canaries: CanaryCheck?
    private var canariesChecked = false

    /// Canaries out after a UDP first pass: probes sent and answers counted per host, until when.
    private struct CanaryCheck {
        var deadline: Instant
        var sent: [Int: Int] = [:]
        var answered: [Int: Int] = [:]
    }
    private var refusalsReported: Set<String> = []
    private let isUDP: Bool

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
        icmpErrors = [Int](repeating: 0, count: job.hosts.count)
        lateICMPErrors = icmpErrors
        firstTryErrors = icmpErrors
        if case .ports(.udp) = job.kind { isUDP = true } else { isUDP = false }
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
        if let check = canaries {
            wake = min(wake, check.deadline)
        } else if let passDeadline {
            wake = min(wake, passDeadline)
        }
        for pacer in pacers.values {
            if let event = pacer.nextEvent(timeout: timeout(pacer.host)) { wake = min(wake, event) }
        }
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
        if answer.isICMPError {
            icmpErrors[host] += 1
            if answer.tryNumber == 0 { firstTryErrors[host] += 1 }
            pacers[host]?.icmpError(at: now)
            if isUDP, errorItems[host, default: []].count < Self.canariesPerHost,
               !errorItems[host, default: []].contains(answer.item) {
                errorItems[host, default: []].append(answer.item)
            }
        }
        if answer.tryNumber == Self.canaryTry, canaries?.sent[host] != nil {
            canaries?.answered[host, default: 0] += 1
        }
        pacers[host]?.answered(item: answer.item)
        guard scheduler.recordAnswer(host: host, item: answer.item, tryNumber: answer.tryNumber) else { return }
        if answer.isICMPError, (1...PassScheduler.retryCeiling).contains(answer.tryNumber) {
            lateICMPErrors[host] += 1
        }
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
        let pacedPending = pacers.values.reduce(0) { $0 + $1.pendingCount }
        if passDeadline == nil {
            let lastSend = lastPassSend ?? now
            passDeadline = lastSend + passTimeout()
            if isUDP && scheduler.pass == 0 && hasSilentUDPHost() {
                passDeadline = max(passDeadline!, lastSend + Self.icmpRefillWait)
            }
        }
        guard scheduler.remaining == pacedPending || now >= passDeadline! else { return }
        if isUDP && scheduler.pass == 0 && !checkCanaries(now) { return }
        if isUDP && scheduler.pass >= 1 { startPacers(now) }
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

    /// After a UDP first pass, a host that answered some ports with ICMP errors and left others
    /// silent may have run out of errors to send (Linux: six, then one a second). Three ports that
    /// did answer are probed again at once: if the host cannot answer them all, its limiter is
    /// empty, the silence may be its doing, and the pacer takes over; if it answers them all, the
    /// silent ports are silent and the ordinary retransmission pass follows. Returns true once the
    /// check is over (or was not needed).
    private func checkCanaries(_ now: Instant) -> Bool {
        if canariesChecked { return true }
        guard let check = canaries else {
            let suspects = (0..<job.hosts.count).filter { host in
                !(errorItems[host] ?? []).isEmpty && !scheduler.isDetached(host)
                    && scheduler.answered.unansweredCount(host: host) > 0
            }
            guard !suspects.isEmpty else {
                canariesChecked = true
                return true
            }
            var batch: [OutgoingPacket] = []
            var check = CanaryCheck(deadline: now)
            for host in suspects {
                for item in errorItems[host] ?? [] {
                    append(WorkItem(host: host, item: item, tryNumber: Self.canaryTry), to: &batch)
                }
                check.sent[host] = errorItems[host]?.count
                check.deadline = max(check.deadline, now + timeout(host))
            }
            canaries = check
            backlog += batch
            return false
        }
        guard now >= check.deadline else { return false }
        for (host, sent) in check.sent where check.answered[host, default: 0] < sent {
            startPacer(host, now)
        }
        canaries = nil
        canariesChecked = true
        return true
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

    /// A host with unanswered ports that sent no ICMP error at all: filtered, or out of errors.
    private func hasSilentUDPHost() -> Bool {
        (0..<job.hosts.count).contains { icmpErrors[$0] == 0 && scheduler.answered.unansweredCount(host: $0) > 0 }
    }

    /// A retransmission drew new errors from a UDP host: its silence was (at least partly) its ICMP
    /// limiter, so the pacer takes over the host's unanswered ports.
    private func startPacers(_ now: Instant) {
        for host in 0..<job.hosts.count where lateICMPErrors[host] > 0 { startPacer(host, now) }
        lateICMPErrors = [Int](repeating: 0, count: job.hosts.count)
    }

    private func startPacer(_ host: Int, _ now: Instant) {
        guard pacers[host] == nil, !scheduler.isDetached(host) else { return }
        let items = scheduler.answered.unanswered(host: host)
        guard !items.isEmpty else { return }
        scheduler.detach(host)
        pacers[host] = ICMPRateLimitPacer(host: host, items: items, now: now, maxRetries: profile.maxRetries,
                                          burstHint: firstTryErrors[host])
    }

    private func servicePacers(_ now: Instant) {
        for host in Array(pacers.keys) {
            guard var pacer = pacers[host] else { continue }
            let silent = pacer.expire(now: now)
            if !silent.isEmpty {
                scheduler.finalize(host: host, items: silent)
                reporter.portsSilent(host: host, items: silent)
            }
            switch pacer.phase {
            case .done:
                pacers[host] = nil
            case .released:
                pacers[host] = nil
                scheduler.reattach(host)
                passesIdle = false
            case .measuring, .pacing:
                pacers[host] = pacer
            }
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
        for host in Array(pacers.keys) {
            guard var pacer = pacers[host] else { continue }
            while batch.count < Self.batchSize, let probe = pacer.nextProbe(now: now, timeout: timeout(host)) {
                append(probe, to: &batch)
            }
            pacers[host] = pacer
        }
        if !passesIdle && !scheduler.isPassFullySent {
            let allowed = limiter.take(Self.batchSize, now: now)
            var taken = 0
            while taken < allowed, let probe = scheduler.nextProbe() {
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
