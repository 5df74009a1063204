import PortgridCore

/// Several reports of one scan (its shards, or a run and its resumption) as one: the same
/// (host, port) results a single run over the whole range gives, and the shards not among them.
public struct MergedScan: Sendable {
    /// The scan as a whole: the inputs' request with the shard left out.
    public var request: ScanRequest
    public var store: ResultStore
    /// Whether any input was interrupted: its part of the scan is incomplete.
    public var interrupted: Bool
    /// Shard indices (1-based) of the scan's N that no input covers.
    public var missingShards: [Int]
    public var shardCount: Int
    /// What `-sV` learned, from every input that had it; nil when none did.
    public var detected: [ServiceKey: ServiceIdentity]? = nil
}

public enum ReportMerge {
    /// Refuses inputs from different scans (targets, ports, technique, seed, shard count, -6 or -r) unless
    /// `force`; with `force` the first input's request describes the merge.
    public static func merge(_ reports: [StoredReport], force: Bool = false) throws(StoredReportError) -> MergedScan {
        guard let first = reports.first else { throw .noInputs }
        if !force {
            for other in reports.dropFirst() {
                if let field = difference(first.request, other.request) {
                    throw .mismatch(first.source, other.source, field: field)
                }
            }
        }
        let count = first.request.shard.count
        let present = Set(reports.filter { $0.request.shard.count == count }.map(\.request.shard.index))
        var request = first.request
        request.shard = .whole
        var hosts: [HostResult] = [], results: [PortResult] = []
        for report in reports {
            hosts += report.hosts
            results += report.results
        }
        var merged = MergedScan(request: request, store: store(request, hosts: hosts, results: results),
                                interrupted: reports.contains(where: \.interrupted),
                                missingShards: (1...count).filter { !present.contains($0) }, shardCount: count)
        for report in reports {
            guard let detected = report.detected else { continue }
            merged.detected = (merged.detected ?? [:]).merging(detected) { _, later in later }
        }
        return merged
    }

    /// The first field two requests differ in that makes them different scans, nil when they are shards
    /// (or runs) of one scan. Timing and discovery may differ: they change speed, not what is scanned.
    public static func difference(_ a: ScanRequest, _ b: ScanRequest) -> String? {
        if a.targets != b.targets { return "targets" }
        if a.portSet != b.portSet { return "ports" }
        if a.technique != b.technique { return "technique" }
        if a.seed != b.seed { return "seed" }
        if a.shard.count != b.shard.count { return "shard count" }
        // -6 scans other addresses of the same names; -r walks another order, so shards own other probes.
        if a.ipv6 != b.ipv6 { return "-6" }
        if a.sequential != b.sequential { return "-r" }
        return nil
    }

    /// A store holding the given results of `request`'s scan, as the engine's events would have
    /// built it: the plan first (so unscanned ports are counted), then hosts, then ports. Later
    /// entries win, except that "up" stays up.
    public static func store(_ request: ScanRequest, hosts: [HostResult], results: [PortResult]) -> ResultStore {
        var store = ResultStore()
        var planHosts = Set<IPAddress>(), names: [IPAddress: String] = [:]
        for host in hosts where !request.technique.scansPorts || host.status == .up { planHosts.insert(host.address) }
        for host in hosts { if let name = host.hostname { names[host.address] = name } }
        store.apply(.started(ScanPlan(technique: request.technique, hosts: HostList(planHosts.sorted()), hostnames: names,
                                      ports: request.portSet, timing: request.timing)))
        for host in hosts { store.record(host) }
        for result in results { store.record(result) }
        return store
    }

    /// A resumed scan's report: what the earlier run found, then what the resumption found.
    public static func resumed(_ previous: StoredReport, run: ResultStore) -> ResultStore {
        var request = previous.request
        request.finished = .none
        let hosts = previous.hosts + run.sortedHosts
        return store(request, hosts: hosts, results: previous.results + run.allResults)
    }
}
