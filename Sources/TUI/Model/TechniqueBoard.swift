import PortgridCore

/// What one technique's latest plan found, host by host. A host gets its row on its first result,
/// so a /16 plan costs four bytes a host until hosts answer.
///
/// Rows are kept one of two ways. A plan of fewer ports than `HostPorts.foldMinimum` (no host of it
/// is ever folded) keeps every row's cells in one flat array of 8-byte `PortCell`s: a SYN scan of
/// port 80 over a /16 holds 8 bytes a host, where a dictionary of per-host `HostPorts` held about
/// 400 (26 MB of the TUI's 68 MB). A larger plan keeps a `HostPorts` a host, which folds a finished
/// host into its summary.
struct TechniqueBoard: Sendable {
    let plan: ScanPlan
    /// An address's position in the plan's hosts: "is this host planned" without a set of them.
    private let positions: PlanPositions
    /// By plan position: the host's row, or -1 until its first result. Empty for a ping sweep,
    /// which plans no port.
    private var rowOfPosition: [Int32]
    /// Rows of hosts outside the plan (should not happen).
    private var strayRows: [IPAddress: Int32] = [:]
    /// Small plans: `plan.ports.count` cells a row, an empty cell pending.
    private let isFlat: Bool
    private var cells: [PortCell] = []
    /// Larger plans: one `HostPorts` a row.
    private var rows: [HostPorts] = []
    /// Over every host of the plan, pending included.
    private(set) var totals: StateCounts
    /// Changes with every result recorded (`HostListing`).
    private(set) var revision = Revision.next()

    init(plan: ScanPlan) {
        self.plan = plan
        let scansPorts = plan.technique.scansPorts
        positions = PlanPositions(scansPorts ? plan.hosts : [])
        rowOfPosition = scansPorts ? [Int32](repeating: -1, count: plan.hosts.count) : []
        isFlat = plan.ports.count < HostPorts.foldMinimum
        totals = StateCounts()
        totals[.pending] = scansPorts ? plan.hosts.count * plan.ports.count : 0
    }

    private var portCount: Int { plan.ports.count }
    /// Rows made so far (a plan of no ports records nothing, so `portCount` is never 0 here).
    private var rowCount: Int { isFlat ? (portCount == 0 ? 0 : cells.count / portCount) : rows.count }

    private func row(of host: IPAddress) -> Int? {
        // A board nothing answered yet (a ping sweep's, always) is asked for every listed host
        // when the list sorts by open ports.
        guard rowCount > 0 else { return nil }
        if let position = positions[host] {
            let row = rowOfPosition[position]
            return row < 0 ? nil : Int(row)
        }
        return strayRows[host].map(Int.init)
    }

    /// The host's ports, nil before its first result. Made on each call for a small plan's host
    /// (a few bytes; the screen asks for the selected host's only).
    func ports(of host: IPAddress) -> HostPorts? {
        guard let row = row(of: host) else { return nil }
        return isFlat ? HostPorts(cells: cells[row * portCount ..< (row + 1) * portCount]) : rows[row]
    }

    func counts(of host: IPAddress) -> StateCounts {
        guard let row = row(of: host) else {
            var counts = StateCounts()
            // A ping sweep's plan carries the request's ports but probes none: nothing is pending.
            if positions[host] != nil { counts[.pending] = portCount }
            return counts
        }
        guard isFlat else { return rows[row].counts }
        var counts = StateCounts()
        for cell in cells[row * portCount ..< (row + 1) * portCount] {
            counts[cell.isEmpty ? .pending : CellState(cell.state)] += 1
        }
        return counts
    }

    mutating func apply(_ batch: some Sequence<PortResult>) {
        for result in batch { record(result) }
    }

    /// Records a result; returns the state the port had (hidden when the result is not this board's).
    @discardableResult
    mutating func record(_ result: PortResult) -> CellState {
        guard result.technique == plan.technique, let index = plan.ports.index(of: result.port) else { return .hidden }
        let row = self.row(of: result.host) ?? addRow(for: result.host)
        let old: CellState
        if isFlat {
            let at = row * portCount + index
            old = cells[at].isEmpty ? .pending : CellState(cells[at].state)
            // Round trips only for the ports worth listing, as `HostPorts` keeps them.
            let new = CellState(result.state)
            cells[at] = PortCell(state: result.state, reason: result.reason,
                                 rtt: new >= CellState(.unfiltered) ? result.rtt : nil, replyTTL: nil)
        } else {
            old = rows[row].record(result, at: index)
        }
        totals.move(from: old, to: CellState(result.state))
        revision = Revision.next()
        return old
    }

    private mutating func addRow(for host: IPAddress) -> Int {
        let row = rowCount
        if let position = positions[host] {
            rowOfPosition[position] = Int32(row)
        } else {
            strayRows[host] = Int32(row)
            // A host outside the plan still gets counted, with its pending ports.
            totals[.pending] += portCount
        }
        if isFlat {
            cells.append(contentsOf: repeatElement(PortCell.empty, count: portCount))
        } else {
            rows.append(HostPorts(portCount: portCount))
        }
        return row
    }
}
