import PortgridCore

/// `--host-timeout`, as nmap has it, for every engine: a host still unfinished that long after its
/// first probe is given up. Its remaining ports get no state (they count as done for progress) and a
/// notice says how many were left. Pure: the engine says when it first probes a host and asks which
/// hosts are due; what giving a host up means for its probes in flight is the engine's business.
struct HostTimeouts: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// How often the hosts are walked for expiry: a host timeout is seconds or minutes long, so a
    /// few checks a second keep the walk off the hot path and the notice on time.
    static let checkInterval = Duration.milliseconds(250)

    /// Each host's first probe, in whole milliseconds after `origin` (the first probe of all),
    /// rounded up, or `notYet`: 4 bytes a host where an optional Instant took 24 (1.5 MB for a
    /// /16). Rounded up, a host is never given up before its limit, and at most a millisecond
    /// after (the hosts are walked every `checkInterval` anyway); 49 days fit.
    private var firstSent: [UInt32]
    private var origin: ScanOrigin?
    private static let notYet = UInt32.max
    private var timedOut: [Bool]
    private var nextCheck: Instant?

    init(hostCount: Int) {
        firstSent = [UInt32](repeating: Self.notYet, count: hostCount)
        timedOut = [Bool](repeating: false, count: hostCount)
    }

    /// A probe to `host` went out: the host's timeout counts from its first.
    mutating func sent(host: Int, at now: Instant) {
        guard firstSent[host] == Self.notYet else { return }
        let origin = origin ?? ScanOrigin(now)
        self.origin = origin
        let milliseconds = (origin.moment(now).nanoseconds + 999_999) / 1_000_000
        firstSent[host] = UInt32(min(Int64(Self.notYet - 1), max(0, milliseconds)))
    }

    func isTimedOut(_ host: Int) -> Bool { timedOut[host] }

    /// Whether `host` has used up `limit` and is not yet given up.
    func isOverdue(_ host: Int, limit: Duration?, now: Instant) -> Bool {
        guard let limit, let origin, firstSent[host] != Self.notYet, !timedOut[host] else { return false }
        return origin.moment(now) - ScanMoment(nanoseconds: Int64(firstSent[host]) * 1_000_000) >= limit
    }

    /// Gives `host` up; false when it already was.
    mutating func expire(_ host: Int) -> Bool {
        guard !timedOut[host] else { return false }
        timedOut[host] = true
        return true
    }

    /// The hosts overdue now among those `isUnfinished` says still owe ports, each given up (so
    /// returned once). Walks the hosts at most every `checkInterval`.
    mutating func expireDue(limit: Duration?, now: Instant, isUnfinished: (Int) -> Bool) -> [Int] {
        guard limit != nil, now >= nextCheck ?? now else { return [] }
        nextCheck = now + Self.checkInterval
        var expired: [Int] = []
        for host in firstSent.indices where isOverdue(host, limit: limit, now: now) && isUnfinished(host) {
            if expire(host) { expired.append(host) }
        }
        return expired
    }

    /// What the user is told about a host given up on with `left` ports unscanned.
    static func notice(host: IPAddress, limit: Duration?, left: Int) -> Notice {
        let after = limit.map { "\($0)" } ?? "its host timeout"
        return Notice(.warning, "\(host) timed out after \(after); \(left) ports left unscanned")
    }
}
