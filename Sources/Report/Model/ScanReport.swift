import Foundation
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
    public var nmapOrder: [HostReport] {
        guard plans.contains(where: \.technique.scansPorts) else { return hosts }
        return hosts.filter { $0.status == .down } + hosts.filter { $0.status != .down }
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
        let portPlans = plans.filter(\.technique.scansPorts).map { (plan: $0, hosts: Set($0.hosts)) }

        var resultsByHost: [IPAddress: [PortResult]] = [:]
        for (host, results) in PortMerge.mergeByHost(store.ports.values) { resultsByHost[host] = results }

        var names: [IPAddress: String] = [:]
        for plan in plans { names.merge(plan.hostnames) { first, _ in first } }

        var addresses = Set(store.hosts.keys).union(resultsByHost.keys)
        for entry in portPlans { addresses.formUnion(entry.hosts) }

        var hidden = 0
        hosts = addresses.sorted().compactMap { address in
            let known = store.hosts[address]
            let results = resultsByHost[address] ?? []
            let planning = portPlans.filter { $0.hosts.contains(address) }.map(\.plan)
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
            let times = RTTSummary.make(hostRTT: known?.rtt, samples: results.compactMap(\.rtt),
                                        timing: planning.first?.timing)
            // The latency shown is the smoothed RTT, so text, JSON and XML's <times> agree.
            let scanStart = planning.compactMap { store.planStarts[$0.technique] }.min()
            return HostReport(
                address: address, hostname: known?.hostname ?? names[address], reverseName: known?.reverseName,
                status: status, reason: reason, replyTTL: status == .up ? known?.replyTTL : nil,
                scanStart: scanStart, scanEnd: scanStart.map { max($0, store.lastResultTimes[address] ?? $0) },
                rtt: times?.srtt, listed: listed, folded: folded,
                notScanned: Self.notScanned(results, planning), times: times)
        }
        hiddenByOpen = hidden
    }

    /// Planned ports with no result, per protocol; several techniques may plan the same ports.
    private static func notScanned(_ results: [PortResult], _ plans: [ScanPlan]) -> [TransportProtocol: Int] {
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
