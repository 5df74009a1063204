/// What the engine tells its consumers (TUI, headless printer, exporters), in order.
/// Results come in batches so a fast scan does not flood the consumer with one event per port.
/// Most hosts come in batches, some one event each, so the one big payload, the plan, is boxed (`indirect`): inline it
/// made every event of a sweep 297 bytes.
public enum ScanEvent: Sendable {
    /// The scan's shape, once targets are resolved: what the progress numbers are out of.
    indirect case started(ScanPlan)
    /// A host's status became known (up from discovery or a reply; down after discovery failed).
    case host(HostResult)
    /// Hosts found up by discovery, many to an event, in the order found (a /16 sweep's 65,536
    /// queued one event each faster than the TUI took them).
    case hosts([HostResult])
    /// Hosts found down, many to an event: a sweep gives up on its silent hosts together, at its
    /// last pass's end (all 65,536 of a dead /16), and one event each queued them faster than a
    /// consumer takes them (16 MB of a /15 sweep's peak, half of it).
    case hostsDown(DownHosts)
    case results(PortResults)
    /// A hostgroup is done: these hosts will have no event after this one, so a consumer may
    /// write them out and let them go. Sent only when a scan runs in more than one group (a plan
    /// larger than its hostgroup size), after each group's last event. A port scan's discovery,
    /// done before the first port is probed, sends the hosts each of its groups found down as a
    /// group of their own, before the port scan's `.started` (a shard's: all of them, after it).
    indirect case hostgroupDone(HostList)
    case progress(ScanProgress)
    case notice(Notice)
    /// `--packet-trace`: one line per probe sent and reply received, in nmap's words.
    case trace(String)
    case finished(ScanSummary)
}

public struct ScanPlan: Hashable, Sendable {
    public var technique: Technique
    /// In the order they are scanned and listed; kept as runs (`HostList`), a /16 in 12 bytes.
    public var hosts: HostList
    /// host name -> addresses it resolved to, for display.
    public var hostnames: [IPAddress: String]
    public var ports: PortSet
    public var timing: TimingProfile
    /// `-Pn`: the hosts are up because the user said so, not because anything answered.
    public var assumedUp: Bool
    /// `-r`: ports in order rather than in the seeded permutation (`ScanOrder`).
    public var sequential: Bool
    /// `--ttl`, `--badsum`, `-g`, `-S`, `-e` (`ScanRequest.packets`).
    public var packets = PacketOptions.standard

    public init(technique: Technique, hosts: HostList, hostnames: [IPAddress: String] = [:], ports: PortSet,
                timing: TimingProfile, assumedUp: Bool = false, sequential: Bool = false) {
        self.technique = technique
        self.hosts = hosts
        self.hostnames = hostnames
        self.ports = ports
        self.timing = timing
        self.assumedUp = assumedUp
        self.sequential = sequential
    }

    /// Probe targets in the plan: (host, port) pairs, or hosts alone for a ping sweep.
    public var totalWork: Int { technique.scansPorts ? hosts.count * ports.count : hosts.count }

    /// When this plan is one hostgroup of a larger scan (`hostgroups`): the whole scan's work,
    /// which progress counts against, as the one `.started` plan announced it.
    public var wholeWork: Int?

    /// The work progress reports count against: the whole scan's, also for one of its groups.
    public var progressWork: Int { wholeWork ?? totalWork }

    /// `--max-hostgroup`: the plan split into groups of at most `size` hosts, in the plan's host
    /// order, scanned one after another as nmap does; each carries the whole plan's work for the
    /// progress. Without a size (or with all hosts fitting in one group) the plan itself.
    public func hostgroups(size: Int?) -> [ScanPlan] {
        guard let size, size >= 1, hosts.count > size else { return [self] }
        return stride(from: 0, to: hosts.count, by: size).map { start in
            var group = self
            group.hosts = hosts.sublist(start ..< min(start + size, hosts.count))
            group.wholeWork = progressWork
            return group
        }
    }
}

/// Hosts no probe found up, for one reason (a sweep's silence: `no-response`).
public struct DownHosts: Hashable, Sendable {
    /// A pass's end on a dead /16 hands on 65,536 down hosts at once, and they wait in the stream
    /// for the consumer: IPv4 addresses are kept as their 4 bytes (`AddressColumn`).
    private var column: AddressColumn
    public var reason: Reason

    public init(_ addresses: some Sequence<IPAddress>, reason: Reason = .noResponse) {
        self.init(AddressColumn(addresses), reason: reason)
    }

    public init(_ column: AddressColumn, reason: Reason = .noResponse) {
        self.column = column
        self.reason = reason
    }

    public var count: Int { column.count }

    /// In the order they were found down.
    public var addresses: [IPAddress] { Array(column) }

    /// Each as the host event it stands for.
    public var hosts: some Sequence<HostResult> {
        let reason = reason
        return column.lazy.map { HostResult(address: $0, status: .down, reason: reason) }
    }
}

public struct ScanProgress: Hashable, Sendable {
    /// (host, port) pairs with a final state.
    public var completed: Int
    public var total: Int
    public var probesSent: Int
    /// Probes per second over the last interval.
    public var rate: Double
    public var elapsed: Duration

    public init(completed: Int, total: Int, probesSent: Int, rate: Double, elapsed: Duration) {
        self.completed = completed
        self.total = total
        self.probesSent = probesSent
        self.rate = rate
        self.elapsed = elapsed
    }

    public var fraction: Double { total == 0 ? 1 : min(1, Double(completed) / Double(total)) }

    /// Time left at the pace so far; nil until there is a pace to go on.
    public var eta: Duration? {
        guard completed > 0, completed < total else { return completed >= total ? .zero : nil }
        return .seconds(elapsed.inSeconds * Double(total - completed) / Double(completed))
    }
}

public struct Notice: Hashable, Sendable {
    public enum Level: String, Sendable { case info, warning, error }
    public var level: Level
    public var message: String

    public init(_ level: Level, _ message: String) {
        self.level = level
        self.message = message
    }
}

public struct ScanSummary: Hashable, Sendable {
    public enum Outcome: String, Sendable { case completed, cancelled, failed }
    public var outcome: Outcome
    public var elapsed: Duration
    public var probesSent: Int
    public var error: String?

    public init(outcome: Outcome, elapsed: Duration, probesSent: Int, error: String? = nil) {
        self.outcome = outcome
        self.elapsed = elapsed
        self.probesSent = probesSent
        self.error = error
    }
}
