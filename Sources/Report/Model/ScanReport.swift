import FoundationEssentials
import PortgridCore

/// The whole run as reports see it, built once from a store and shared by every format.
public struct ScanReport: Sendable {
    /// Every host something is known about, sorted numerically (IPv4 first), down hosts included.
    public var hosts: [HostReport]
    /// The scan plans, one per technique run, in technique order.
    public var plans: [ScanPlan]
    public var interrupted: Bool

    /// Hosts in the order nmap's outputs list them: the hosts found down first (nmap reports a
    /// hostgroup's down hosts after its ping sweep, the rest after their port scan), then the others.
    /// A ping sweep alone reports every host in address order.
    /// A view, not a copy: a /16's host reports copied once per format was a second report.
    public var nmapOrder: FlattenSequence<[LazyFilterSequence<[HostReport]>]> {
        guard plans.contains(where: \.technique.scansPorts) else { return [hosts.lazy.filter { _ in true }].joined() }
        return [hosts.lazy.filter { $0.status == .down }, hosts.lazy.filter { $0.status != .down }].joined()
    }

    public var upCount: Int { hosts.count { $0.status == .up } }
    public var downCount: Int { hosts.count { $0.status == .down } }
    /// Hosts `--open` left out (up, with no port it shows): nmap still counts them in its summary
    /// ("1 IP address (1 host up) scanned"), so the writers' totals should add them.
    public private(set) var hiddenByOpen = 0
    /// Every address the summary line counts, shown or left out by `--open`.
    public var addressCount: Int { hosts.count + hiddenByOpen }
    /// Every host up, shown or left out by `--open`.
    public var allUpCount: Int { upCount + hiddenByOpen }
    public var notScannedCount: Int { hosts.reduce(0) { $0 + $1.notScannedCount } }

    /// Room for a format's whole text, from a generous guess of the bytes it writes per host and
    /// per listed port or folded group: the text is then made in place, where growing it by
    /// doubling held the old copy beside the new one (a /16's JSON is tens of megabytes). Room
    /// never written costs nothing resident.
    func textCapacity(perHost: Int, perPort: Int) -> Int {
        hosts.reduce(4_096) { $0 + perHost + perPort * ($1.listed.count + $1.folded.reduce(0) { $0 + $1.groups.count }) }
    }

    /// A host that a port-scan plan names but no event described was put there by `-Pn`: the
    /// engine only plans port scans of hosts that discovery found up (which report themselves)
    /// or that the user declared up, so it is reported up with nmap's reason "user-set".
    /// A host known only as a name with no result and no plan is left out: nothing is known of it.
    /// `openOnly` (`--open`, `ScanRequest.openOnly`): the one place that flag is applied. Ports
    /// not shown by it are counted, never listed, and a port-scanned host with none shown is left
    /// out, as nmap's `--open` does in every format.
    public init(_ store: ResultStore, interrupted: Bool, folding: PortFolding.Rule = .standard,
                openOnly: Bool = false) {
        self.interrupted = interrupted
        plans = store.plans.values.sorted { $0.technique < $1.technique }
        let portPlans = plans.filter(\.technique.scansPorts).map(PlannedHosts.init)

        var names: [IPAddress: String] = [:]
        for plan in plans { names.merge(plan.hostnames) { first, _ in first } }

        // The store's addresses come sorted; planned hosts it never heard of are few (-Pn, silence).
        var addresses = store.addresses
        let unheard = Set(portPlans.flatMap { $0.plan.hosts.lazy.filter { !store.knows($0) } })
        if !unheard.isEmpty { addresses = (addresses + unheard).sorted() }

        var hidden = 0
        func hostReport(_ address: IPAddress) -> HostReport? {
            let known = store.host(address)
            // Merged straight from the store's cells: only listed ports become PortResults.
            let results = PortMerge.merge(store.rows(of: address))
            let planning = portPlans.filter { $0.contains(address) }.map(\.plan)
            var status = known?.status ?? .unknown
            var reason = known?.reason ?? .userSet
            if status == .unknown {
                if !planning.isEmpty { status = .up; reason = .userSet }
                else if results.isEmpty { return nil }
            }
            if openOnly, !planning.isEmpty || !results.isEmpty, !results.contains(where: \.state.isShownByOpen) {
                hidden += 1
                return nil
            }
            let (listed, folded) = PortFolding.fold(results, rule: folding, openOnly: openOnly)
            let times = RTTSummary.make(hostRTT: known?.rtt, nanoseconds: results.compactMap(\.cell.rttNanoseconds),
                                        timing: planning.first?.timing)
            // The latency shown is the smoothed RTT, so text, JSON and XML's <times> agree.
            let scanStart = planning.compactMap { store.planStarts[$0.technique] }.min()
            return HostReport(
                address: address, hostname: known?.hostname ?? names[address], reverseName: known?.reverseName,
                status: status, reason: reason, mac: known?.mac, replyTTL: status == .up ? known?.replyTTL : nil,
                scanStart: scanStart, scanEnd: scanStart.map { max($0, store.lastResultTime(of: address) ?? $0) },
                rtt: times?.srtt, listed: listed.map { $0.result(host: address) }, folded: folded,
                notScanned: Self.notScanned(results, planning), times: times)
        }
        // Room for every host up front: grown by doubling, a /16's reports were copied at each step.
        var reports: [HostReport] = []
        reports.reserveCapacity(addresses.count)
        for address in addresses {
            if let report = hostReport(address) { reports.append(report) }
        }
        hosts = reports
        hiddenByOpen = hidden
    }

    /// Planned ports with no result, per protocol; several techniques may plan the same ports.
    private static func notScanned(_ results: [PortAnswer], _ plans: [ScanPlan]) -> [TransportProtocol: Int] {
        var missing: [TransportProtocol: Int] = [:]
        for proto in TransportProtocol.allCases {
            let planned = plans.filter { $0.technique.transport == proto }
                .reduce(PortSet()) { $0.union($1.ports) }
            guard !planned.isEmpty else { continue }
            let done = results.count { $0.proto == proto && planned.contains($0.port) }
            if planned.count > done { missing[proto] = planned.count - done }
        }
        return missing
    }
}

/// A plan's hosts, searchable without a set of them: the engine plans them in address order, so
/// the plan's own array is searched in place (a copy is sorted only when it is not in order).
private struct PlannedHosts {
    let plan: ScanPlan
    private let sorted: [IPAddress]

    init(_ plan: ScanPlan) {
        self.plan = plan
        let hosts = plan.hosts
        sorted = zip(hosts, hosts.dropFirst()).allSatisfy { $0 < $1 } ? hosts : hosts.sorted()
    }

    func contains(_ address: IPAddress) -> Bool {
        var low = 0, high = sorted.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if sorted[mid] == address { return true }
            if sorted[mid] < address { low = mid + 1 } else { high = mid - 1 }
        }
        return false
    }
}
