import PortgridCore

/// Watches a UDP or FIN/NULL/Xmas scan's hosts for an ICMP error limiter and runs the pacers of the hosts found to
/// have one. A limited host looks like a host with filtered ports: a few closed ports answer, the
/// rest is silence. Three signs tell them apart:
/// - after the first pass, ports that did answer are probed again at once (canaries): a host
///   whose limiter is spent cannot answer them all;
/// - a host that sent no error at all in the first pass may have had none left: its
///   retransmissions wait for a refill (`refillWait`);
/// - a retransmission that draws an error the first try did not get.
/// Any of them hands the host's unanswered ports to an `ICMPRateLimitPacer`. Pure: the raw passes
/// feed it answers and pass ends, send what it asks for and apply the `PacingAction`s it returns
/// (it reads the pass scheduler, never edits it).
struct ICMPLimitWatch: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// Canaries per suspect host: a limiter with a token or two left cannot answer them all.
    static let canariesPerHost = 3
    /// Linux's per-peer limiter refills one error a second (`net.ipv4.icmp_ratelimit`).
    static let refillWait: Duration = .seconds(1)

    private(set) var pacers: [Int: ICMPRateLimitPacer] = [:]
    private var errors: [Int]
    /// Errors answering first tries: at least how many the host's bucket held.
    private var firstTryErrors: [Int]
    /// Errors answering a retransmission, since the last pass ended.
    private var lateErrors: [Int]
    /// Per host, a few ports that answered with an error: the canaries.
    private var errorItems: [Int: [Int]] = [:]
    private var canaries: CanaryCheck?
    private var canariesChecked = false

    private struct CanaryCheck: Sendable {
        var deadline: Instant
        var sent: [Int: Int] = [:]
        var answered: [Int: Int] = [:]
    }

    /// What the end of the first pass calls for.
    enum CanaryStep: Equatable, Sendable {
        /// Send these probes; the pass stays open until `deadline`.
        case send([WorkItem], deadline: Instant)
        /// Canaries are out: wait.
        case waiting(until: Instant)
        /// The check is over (or was not needed): apply these, then the pass may close.
        case over([PacingAction])
    }

    /// Which probes a watch is for: where an ICMP error and silence give different states.
    /// UDP (port-unreachable is closed, silence open|filtered) and FIN/NULL/Xmas (admin-prohibited
    /// is filtered, silence open|filtered). Not SYN, connect or ACK: silence and an error are both
    /// filtered there, so a suppressed error changes only the reason.
    static func watches(_ technique: Technique) -> Bool {
        switch technique {
        case .udp, .fin, .null, .xmas: true
        case .connect, .syn, .ack, .ping: false
        }
    }

    /// UDP: every closed port answers with an error, so a host that sent none at all in the first
    /// pass may have had none left (its retransmissions wait for a refill). Stealth scans: errors
    /// mark filtered ports only, and a host that sent none has none to hide: no wait.
    let refillsErrorlessHosts: Bool
    /// Errors from all hosts: until the first, a stealth scan's passes run as if unwatched.
    private(set) var totalErrors = 0

    init(hostCount: Int, refillsErrorlessHosts: Bool = true) {
        self.refillsErrorlessHosts = refillsErrorlessHosts
        errors = [Int](repeating: 0, count: hostCount)
        firstTryErrors = errors
        lateErrors = errors
    }

    var pendingCount: Int { pacers.values.reduce(0) { $0 + $1.pendingCount } }

    // MARK: Answers

    /// Every answer, first or repeated, before the scheduler records it.
    mutating func observe(_ answer: PortAnswer, at now: Instant) {
        let host = answer.host
        if answer.isICMPError {
            errors[host] += 1
            totalErrors += 1
            if answer.tryNumber == 0 { firstTryErrors[host] += 1 }
            pacers[host]?.icmpError(at: now)
            var items = errorItems[host, default: []]
            if items.count < Self.canariesPerHost && !items.contains(answer.item) {
                items.append(answer.item)
                errorItems[host] = items
            }
        }
        if answer.tryNumber == TryNumbers.canary, canaries?.sent[host] != nil {
            canaries?.answered[host, default: 0] += 1
        }
        pacers[host]?.answered(item: answer.item)
    }

    /// An answer that was the port's first.
    mutating func observeFirst(_ answer: PortAnswer) {
        if answer.isICMPError, TryNumbers.retransmissions.contains(answer.tryNumber) {
            lateErrors[answer.host] += 1
        }
    }

    // MARK: Pass ends

    /// Whether the first pass should wait for a refill: some host left ports unanswered without
    /// sending a single error (UDP only).
    func needsRefillWait(_ scheduler: PassScheduler) -> Bool {
        guard refillsErrorlessHosts else { return false }
        return errors.indices.contains { errors[$0] == 0 && scheduler.answered.unansweredCount(host: $0) > 0 }
    }

    /// The first pass's wait is over: canaries out, canaries back, or nothing to check.
    mutating func firstPassEnded(now: Instant, scheduler: PassScheduler, maxRetries: Int,
                                 timeout: (Int) -> Duration) -> CanaryStep {
        if canariesChecked { return .over([]) }
        guard let check = canaries else {
            var probes: [WorkItem] = []
            var check = CanaryCheck(deadline: now)
            for (host, items) in errorItems.sorted(by: { $0.key < $1.key })
            where !scheduler.isDetached(host) && scheduler.answered.unansweredCount(host: host) > 0 {
                probes += items.map { WorkItem(host: host, item: $0, tryNumber: TryNumbers.canary) }
                check.sent[host] = items.count
                check.deadline = max(check.deadline, now + timeout(host))
            }
            guard !probes.isEmpty else {
                canariesChecked = true
                return .over([])
            }
            canaries = check
            return .send(probes, deadline: check.deadline)
        }
        guard now >= check.deadline else { return .waiting(until: check.deadline) }
        var actions: [PacingAction] = []
        for (host, sent) in check.sent.sorted(by: { $0.key < $1.key }) where check.answered[host, default: 0] < sent {
            actions += startPacer(host, now: now, scheduler: scheduler, maxRetries: maxRetries)
        }
        canaries = nil
        canariesChecked = true
        return .over(actions)
    }

    /// A retransmission pass's wait is over: hosts it drew new errors from get paced.
    mutating func laterPassEnded(now: Instant, scheduler: PassScheduler, maxRetries: Int) -> [PacingAction] {
        var actions: [PacingAction] = []
        for host in lateErrors.indices where lateErrors[host] > 0 {
            actions += startPacer(host, now: now, scheduler: scheduler, maxRetries: maxRetries)
        }
        lateErrors = [Int](repeating: 0, count: lateErrors.count)
        return actions
    }

    /// A pacer for `host`'s unanswered ports, and the action that takes the host out of the passes.
    private mutating func startPacer(_ host: Int, now: Instant, scheduler: PassScheduler, maxRetries: Int)
        -> [PacingAction] {
        guard pacers[host] == nil, !scheduler.isDetached(host) else { return [] }
        let items = scheduler.answered.unanswered(host: host)
        guard !items.isEmpty else { return [] }
        pacers[host] = ICMPRateLimitPacer(host: host, items: items, now: now, maxRetries: maxRetries,
                                          burstHint: firstTryErrors[host])
        return [.detach(host: host)]
    }

    // MARK: Pacers

    /// Expires the pacers' waits: ports now final as silent, and hosts found not limited after all
    /// (back to the passes).
    mutating func service(now: Instant) -> [PacingAction] {
        var actions: [PacingAction] = []
        for host in pacers.keys.sorted() {
            guard var pacer = pacers[host] else { continue }
            let decided = pacer.expire(now: now)
            if !decided.isEmpty { actions.append(.silent(host: host, items: decided)) }
            switch pacer.phase {
            case .done:
                pacers[host] = nil
            case .released:
                pacers[host] = nil
                actions.append(.reattach(host: host))
            case .measuring, .pacing:
                pacers[host] = pacer
            }
        }
        return actions
    }

    /// Stops pacing a host that was given up on (`--host-timeout`).
    mutating func abandon(_ host: Int) { pacers[host] = nil }

    /// Paced probes due now, at most `limit`. `floor` (`--min-rate`) is shared among the pacers:
    /// together they never pace slower than it.
    mutating func nextProbes(now: Instant, limit: Int, floor: Double? = nil, timeout: (Int) -> Duration) -> [WorkItem] {
        var probes: [WorkItem] = []
        let share = floor.map { $0 / Double(Swift.max(1, pacers.count)) }
        for host in pacers.keys.sorted() where probes.count < limit {
            guard var pacer = pacers[host] else { continue }
            pacer.setFloor(share)
            while probes.count < limit, let probe = pacer.nextProbe(now: now, timeout: timeout(host)) {
                probes.append(probe)
            }
            pacers[host] = pacer
        }
        return probes
    }

    /// The earliest moment a pacer needs attention.
    func nextEvent(timeout: (Int) -> Duration) -> Instant? {
        pacers.values.compactMap { $0.nextEvent(timeout: timeout($0.host)) }.min()
    }
}
