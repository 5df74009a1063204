import PortgridCore

/// What one technique's latest plan found, host by host. Hosts get their arrays on their first
/// result, so a /16 plan costs nothing until hosts answer.
struct TechniqueBoard: Sendable {
    let plan: ScanPlan
    /// The plan's hosts as a set: "is this host planned" must not walk a /16 per result. Empty for
    /// a ping sweep, which plans no port (2.6 MB less for a /16).
    let planned: Set<IPAddress>
    private(set) var hosts: [IPAddress: HostPorts] = [:]
    /// Over every host of the plan, pending included.
    private(set) var totals: StateCounts
    /// Changes with every result recorded (`HostListing`).
    private(set) var revision = Revision.next()

    init(plan: ScanPlan) {
        self.plan = plan
        planned = plan.technique.scansPorts ? Set(plan.hosts) : []
        totals = StateCounts()
        totals[.pending] = plan.technique.scansPorts ? plan.hosts.count * plan.ports.count : 0
    }

    func ports(of host: IPAddress) -> HostPorts? { hosts[host] }

    func counts(of host: IPAddress) -> StateCounts {
        if let ports = hosts[host] { return ports.counts }
        var counts = StateCounts()
        // A ping sweep's plan carries the request's ports but probes none: nothing is pending.
        if plan.technique.scansPorts && planned.contains(host) { counts[.pending] = plan.ports.count }
        return counts
    }

    mutating func apply(_ batch: [PortResult]) {
        for result in batch { record(result) }
    }

    /// Records a result; returns the state the port had (hidden when the result is not this board's).
    @discardableResult
    mutating func record(_ result: PortResult) -> CellState {
        guard result.technique == plan.technique, let index = plan.ports.index(of: result.port) else { return .hidden }
        if hosts[result.host] == nil {
            hosts[result.host] = HostPorts(portCount: plan.ports.count)
            // A host outside the plan (should not happen) still gets counted, with its pending ports.
            if !planned.contains(result.host) { totals[.pending] += plan.ports.count }
        }
        let old = hosts[result.host]!.record(result, at: index)
        totals.move(from: old, to: CellState(result.state))
        revision = Revision.next()
        return old
    }
}
