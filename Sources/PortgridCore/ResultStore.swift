import Foundation

/// Everything found so far, keyed by (host, protocol, port, technique), so switching technique in
/// the TUI keeps what earlier scans found. Pure value; the consumers own one each.
public struct ResultStore: Sendable {
    public private(set) var hosts: [IPAddress: HostResult] = [:]
    public private(set) var ports: [ResultKey: PortResult] = [:]
    /// What each technique was asked to scan, so reports can count unanswered ports too.
    public private(set) var plans: [Technique: ScanPlan] = [:]
    public private(set) var notices: [Notice] = []
    public private(set) var summary: ScanSummary?
    /// When each port-scan plan started (the `.started` event's arrival): a host's scan starts with
    /// the first plan that names it, as nmap's host `starttime` is its hostgroup's start.
    public private(set) var planStarts: [Technique: Date] = [:]
    /// When each host's last port result arrived: its scan's end, nmap's host `endtime`.
    public private(set) var lastResultTimes: [IPAddress: Date] = [:]
    /// The host the last answered port showed up (its status can only stay up: "up" is sticky).
    private var lastHostUp: IPAddress?

    public init() {}

    /// Folds one event in; `time` is when it arrived (the only clock reading the store keeps, for
    /// the hosts' scan times).
    public mutating func apply(_ event: ScanEvent, at time: Date = Date()) {
        switch event {
        case .started(let plan):
            plans[plan.technique] = plan
            if plan.technique.scansPorts { planStarts[plan.technique] = time }
            // -Pn: the user declared these hosts up (nmap's reason "user-set"); a port's reply later
            // must not stand in for the user's word.
            if plan.assumedUp {
                for address in plan.hosts where hosts[address]?.status != .up {
                    record(HostResult(address: address, status: .up, reason: .userSet))
                }
            }
            // Room for the answers up front: a -p- scan otherwise rehashes the table a dozen times
            // while the scan runs on the same cores. Bounded: a /16 sweep must not reserve gigabytes.
            if plan.technique.scansPorts { ports.reserveCapacity(ports.count + min(plan.totalWork, 1 << 17)) }
            for (address, name) in plan.hostnames where hosts[address]?.hostname == nil {
                hosts[address, default: HostResult(address: address, status: .unknown, reason: .userSet)].hostname = name
            }
        case .host(let host):
            record(host)
        case .results(let batch):
            for result in batch { record(result) }
            // Runs of one host: one stamp per run, not per result.
            var last: IPAddress?
            for result in batch where result.host != last {
                last = result.host
                lastResultTimes[result.host] = time
            }
        case .progress, .trace:
            break
        case .notice(let notice):
            notices.append(notice)
        case .finished(let summary):
            self.summary = summary
        }
    }

    public mutating func record(_ host: HostResult) {
        var merged = host
        if let existing = hosts[host.address] {
            guard let update = existing.merged(with: host) else { return }
            merged = update
        }
        hosts[host.address] = merged
    }

    public mutating func record(_ result: PortResult) {
        ports[result.key] = result
        // Any reply from a port proves the host is up. Results come in runs of one host: the last
        // host seen up needs no second lookup per result.
        guard result.reason != .noResponse, result.host != lastHostUp else { return }
        if hosts[result.host]?.status != .up {
            record(HostResult(address: result.host, status: .up, reason: result.reason, rtt: result.rtt,
                              replyTTL: result.replyTTL))
        }
        lastHostUp = result.host
    }

    /// The scan times `other` kept for the `kept` hosts, for a store rebuilt from another (the TUI
    /// narrowing its targets): the rebuilt plans started when the old ones did, not now.
    public mutating func keepTimes(of kept: Set<IPAddress>, from other: ResultStore) {
        planStarts.merge(other.planStarts) { _, earlier in earlier }
        for (address, time) in other.lastResultTimes where kept.contains(address) { lastResultTimes[address] = time }
    }

    /// Host addresses in numeric order.
    public var sortedHosts: [HostResult] { hosts.values.sorted { $0.address < $1.address } }

    /// One host's results for a technique (nil = all techniques), sorted by protocol then port.
    public func results(for host: IPAddress, technique: Technique? = nil) -> [PortResult] {
        ports.values.filter { $0.host == host && (technique == nil || $0.technique == technique) }
            .sorted { ($0.proto, $0.port, $0.technique) < ($1.proto, $1.port, $1.technique) }
    }

    /// Every result, sorted host, protocol, port, technique: the order exports use.
    public var allResults: [PortResult] {
        ports.values.sorted { ($0.host, $0.proto, $0.port, $0.technique) < ($1.host, $1.proto, $1.port, $1.technique) }
    }

    public var techniques: [Technique] { Set(ports.keys.map(\.technique)).union(plans.keys).sorted() }

    public func count(of state: PortState) -> Int { ports.values.reduce(0) { $0 + ($1.state == state ? 1 : 0) } }
}
