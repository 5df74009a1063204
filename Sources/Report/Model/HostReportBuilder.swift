import FoundationEssentials
import PortgridCore

/// The one home of the rule that turns a store's cells for one address into a `HostReport`: the
/// report is made host by host on demand (a /16's reports held at once were most of the peak).
/// A class, so the collections that hold it share one copy of the store rather than copy its
/// storage references at each host they make.
final class HostReportBuilder: Sendable {
    /// What an address becomes in the report.
    enum Outcome {
        case report(HostReport)
        /// Up, port-scanned, with no port `--open` shows: counted in the summary, never listed.
        case hiddenByOpen
        /// Nothing is known of it: left out and not counted.
        case absent
    }

    let store: ResultStore
    let folding: PortFolding.Rule
    let openOnly: Bool
    private let portPlans: [PlannedHosts]
    /// The ports planned per protocol for each set of port plans a host may be in (bit i: the
    /// `portPlans[i]`), made once: unioning each host's plans' ports was a tenth of a /16's report.
    private let plannedPorts: [PlanSet: [TransportProtocol: PortSet]]
    /// Each port plan's start (`ResultStore.planStarts`), by the plan's index: looked up once,
    /// not per host.
    private let planStarts: [Date?]
    private let names: [IPAddress: String]

    init(_ store: ResultStore, plans: [ScanPlan], folding: PortFolding.Rule, openOnly: Bool) {
        self.store = store
        self.folding = folding
        self.openOnly = openOnly
        portPlans = plans.filter(\.technique.scansPorts).map(PlannedHosts.init)
        plannedPorts = Self.plannedPorts(portPlans.map(\.plan))
        planStarts = portPlans.map { store.planStarts[$0.plan.technique] }
        var names: [IPAddress: String] = [:]
        for plan in plans { names.merge(plan.hostnames) { first, _ in first } }
        self.names = names
    }

    /// Every address a report may name, sorted numerically (IPv4 first): the store's (they come
    /// sorted) and planned hosts it never heard of, which are few (-Pn, silence).
    func addresses() -> HostList {
        let addresses = store.addressList
        let unheard = Set(portPlans.flatMap { $0.plan.hosts.lazy.filter { !self.store.knows($0) } })
        return unheard.isEmpty ? addresses : HostList((Array(addresses) + unheard).sorted())
    }

    /// What `ScanReport`'s totals need of a host, without folding its ports or making its report.
    struct Counts {
        var status: HostStatus
        var notScannedCount: Int
        var hasMAC: Bool
    }

    /// The host's status and counts, or why it is not reported: the same decision as `build`.
    func counts(_ address: IPAddress) -> Result<Counts, Excluded> {
        switch classify(address) {
        case .success(let host):
            let missing = notScanned(host.results, host.planning).values.reduce(0, +)
            return .success(Counts(status: host.status, notScannedCount: missing, hasMAC: host.known?.mac != nil))
        case .failure(let excluded):
            return .failure(excluded)
        }
    }

    func build(_ address: IPAddress) -> Outcome {
        switch classify(address) {
        case .success(let host): .report(report(host))
        case .failure(.hiddenByOpen): .hiddenByOpen
        case .failure(.absent): .absent
        }
    }

    /// Why an address is not reported.
    enum Excluded: Error {
        case hiddenByOpen, absent
    }

    /// A reported host's facts before its ports are folded.
    private struct Classified {
        var address: IPAddress
        var known: HostResult?
        var results: [PortAnswer]
        var planning: PlanSet
        var status: HostStatus
        var reason: Reason
    }

    /// A host that a port-scan plan names but no event described was put there by `-Pn`: the
    /// engine only plans port scans of hosts that discovery found up (which report themselves)
    /// or that the user declared up, so it is reported up with nmap's reason "user-set".
    /// A host known only as a name with no result and no plan is left out: nothing is known of it.
    /// `openOnly` (`--open`, `ScanRequest.openOnly`): the one place that flag is applied. Ports
    /// not shown by it are counted, never listed, and a port-scanned host with none shown is left
    /// out, as nmap's `--open` does in every format.
    private func classify(_ address: IPAddress) -> Result<Classified, Excluded> {
        let known = store.host(address)
        // Merged straight from the store's cells: only listed ports become PortResults.
        let results = PortMerge.merge(store.rows(of: address))
        var planning = PlanSet()
        for index in portPlans.indices where portPlans[index].contains(address) { planning.insert(index) }
        var status = known?.status ?? .unknown
        var reason = known?.reason ?? .userSet
        if status == .unknown {
            if !planning.isEmpty { status = .up; reason = .userSet }
            else if results.isEmpty { return .failure(.absent) }
        }
        if openOnly, !planning.isEmpty || !results.isEmpty, !results.contains(where: \.state.isShownByOpen) {
            return .failure(.hiddenByOpen)
        }
        return .success(Classified(address: address, known: known, results: results, planning: planning,
                                   status: status, reason: reason))
    }

    private func report(_ host: Classified) -> HostReport {
        let address = host.address, known = host.known, results = host.results
        let planning = host.planning
        let status = host.status
        let (listed, folded) = PortFolding.fold(results, rule: folding, openOnly: openOnly)
        let times = RTTSummary.make(hostRTT: known?.rtt, nanoseconds: results.compactMap(\.cell.rttNanoseconds),
                                    timing: planning.first.map { portPlans[$0].plan.timing })
        // The latency shown is the smoothed RTT, so text, JSON and XML's <times> agree.
        var scanStart: Date?
        for index in planning.members {
            guard let start = planStarts[index] else { continue }
            scanStart = min(scanStart ?? start, start)
        }
        return HostReport(
            address: address, hostname: known?.hostname ?? names[address], reverseName: known?.reverseName,
            status: status, reason: host.reason, mac: known?.mac, replyTTL: status == .up ? known?.replyTTL : nil,
            scanStart: scanStart, scanEnd: scanStart.map { max($0, store.lastResultTime(of: address) ?? $0) },
            rtt: times?.srtt, listed: listed.map { $0.result(host: address) }, folded: folded,
            notScanned: notScanned(results, host.planning), times: times)
    }

    /// Planned ports with no result, per protocol; several techniques may plan the same ports.
    private func notScanned(_ results: [PortAnswer], _ plans: PlanSet) -> [TransportProtocol: Int] {
        guard !plans.isEmpty, let planned = plannedPorts[plans] else { return [:] }
        var missing: [TransportProtocol: Int] = [:]
        for (proto, ports) in planned {
            let done = results.count { $0.proto == proto && ports.contains($0.port) }
            if ports.count > done { missing[proto] = ports.count - done }
        }
        return missing
    }

    /// Every set of `plans` a host may be in (a store holds one plan per technique, so at most
    /// 2^7 sets), with the union of its plans' ports per protocol
    /// (a protocol none of them plans is left out).
    private static func plannedPorts(_ plans: [ScanPlan]) -> [PlanSet: [TransportProtocol: PortSet]] {
        var table: [PlanSet: [TransportProtocol: PortSet]] = [:]
        for bits in 1..<(1 << plans.count) {
            let set = PlanSet(bits: bits)
            var planned: [TransportProtocol: PortSet] = [:]
            for proto in TransportProtocol.allCases {
                let ports = set.members.map { plans[$0] }.filter { $0.technique.transport == proto }
                    .reduce(PortSet()) { $0.union($1.ports) }
                if !ports.isEmpty { planned[proto] = ports }
            }
            table[set] = planned
        }
        return table
    }
}

/// Which of the builder's port plans name a host, as bits: a host's plans without an array each.
private struct PlanSet: Hashable, Sendable {
    private(set) var bits = 0

    init(bits: Int = 0) { self.bits = bits }

    var isEmpty: Bool { bits == 0 }

    mutating func insert(_ index: Int) { bits |= 1 << index }

    /// The first plan's index (the builder's plan order), nil for none.
    var first: Int? { isEmpty ? nil : bits.trailingZeroBitCount }

    /// The plans' indices, ascending (the builder's plan order).
    var members: [Int] { (0..<(Int.bitWidth - bits.leadingZeroBitCount)).filter { bits & (1 << $0) != 0 } }
}

/// A plan's hosts, searchable without a set of them: the engine plans them in address order, so
/// the plan's own list is searched in place (a copy is sorted only when it is not in order).
private struct PlannedHosts: Sendable {
    let plan: ScanPlan
    private let sorted: HostList

    init(_ plan: ScanPlan) {
        self.plan = plan
        let hosts = plan.hosts
        sorted = zip(hosts, hosts.dropFirst()).allSatisfy { $0 < $1 } ? hosts : HostList(hosts.sorted())
    }

    func contains(_ address: IPAddress) -> Bool { sorted.sortedContains(address) }
}
