import PortgridCore

/// One host's ports for one technique, indexed by the port's position in the plan's port set:
/// folding a batch of results is O(batch · log ranges), never a search through results.
///
/// While the host is being scanned every port has a state byte and a reason byte. Once no port is
/// pending the host is folded into a summary: its commonest (state, reason) and the few ports that
/// differ. A -p- host with a handful of open ports then costs bytes, not 128 KB, so a /24 of -p-
/// costs what its open ports cost (DESIGN: the TUI keeps per-host summaries).
struct HostPorts: Sendable {
    /// Hosts of fewer ports are never folded (a board keeps such plans flat, `TechniqueBoard`).
    static let foldMinimum = 64

    private var states: [UInt8]
    private var reasons: [UInt8]
    /// Set once folded: what every port not in `others` has.
    private var common: (state: UInt8, reason: UInt8)?
    /// Folded: position -> state << 8 | reason, for the ports that differ from `common`.
    private var others: [Int: UInt16] = [:]
    /// Round trips only for the few ports worth listing (open and the like); closed ports are many
    /// and their round trip tells nothing the host's does not.
    private var rtts = PortRoundTrips()
    private(set) var counts: StateCounts
    let count: Int

    init(portCount: Int) {
        count = portCount
        states = [UInt8](repeating: CellState.pending.rawValue, count: portCount)
        reasons = [UInt8](repeating: 0, count: portCount)
        counts = StateCounts()
        counts[.pending] = portCount
    }

    /// A host's ports from a board's flat cells (an empty cell is pending).
    init(cells: some Collection<PortCell>) {
        self.init(portCount: cells.count)
        for (index, cell) in cells.enumerated() where !cell.isEmpty {
            set(CellState(cell.state), reason: cell.reason, rtt: cell.rtt, at: index)
        }
    }

    var isFolded: Bool { common != nil }

    func state(at index: Int) -> CellState {
        guard let common else { return CellState(rawValue: states[index]) }
        return CellState(rawValue: others[index].map { UInt8($0 >> 8) } ?? common.state)
    }

    func reason(at index: Int) -> Reason? {
        let code: UInt8
        if let common { code = others[index].map { UInt8($0 & 0xFF) } ?? common.reason } else { code = reasons[index] }
        return code == 0 ? nil : Self.reasonList[Int(code) - 1]
    }

    func rtt(at index: Int) -> Duration? { rtts[index] }

    /// Every port's state, in plan order (what the grid folds into cells).
    func cellStates() -> [CellState] {
        guard let common else { return states.map { CellState(rawValue: $0) } }
        var all = [CellState](repeating: CellState(rawValue: common.state), count: count)
        for (index, packed) in others { all[index] = CellState(rawValue: UInt8(packed >> 8)) }
        return all
    }

    /// Positions of the ports in one of `wanted`, in order: a folded host answers from its few
    /// differing ports unless the common state is wanted.
    func positions(in wanted: Set<CellState>) -> [Int] {
        // A byte table, not a Set lookup per port: this runs over every port of the selected host
        // each frame.
        var table = [Bool](repeating: false, count: 256)
        for state in wanted { table[Int(state.rawValue)] = true }
        guard let common else {
            var found: [Int] = []
            for index in 0..<count where table[Int(states[index])] { found.append(index) }
            return found
        }
        guard !table[Int(common.state)] else { return (0..<count).filter { table[Int(state(at: $0).rawValue)] } }
        return others.compactMap { index, packed in table[Int(packed >> 8)] ? index : nil }.sorted()
    }

    // Built once: `allCases` makes a new array on every call, too slow for the fold's hot path.
    private static let reasonList = Reason.allCases
    private static let reasonCodes = Dictionary(uniqueKeysWithValues: reasonList.enumerated().map { ($1, UInt8($0 + 1)) })

    /// Records a result; returns the state it replaced so the board's totals follow.
    @discardableResult
    mutating func record(_ result: PortResult, at index: Int) -> CellState {
        set(CellState(result.state), reason: result.reason, rtt: result.rtt, at: index)
    }

    @discardableResult
    private mutating func set(_ new: CellState, reason result: Reason, rtt: Duration?, at index: Int) -> CellState {
        let old = state(at: index)
        let reason = Self.reasonCodes[result] ?? 0
        if let common {
            // A late answer for a folded host: only its exception entry changes.
            if new.rawValue == common.state && reason == common.reason {
                others[index] = nil
            } else {
                others[index] = UInt16(new.rawValue) << 8 | UInt16(reason)
            }
        } else {
            states[index] = new.rawValue
            reasons[index] = reason
        }
        rtts[index] = new >= CellState(.unfiltered) ? rtt : nil
        counts.move(from: old, to: new)
        if common == nil && counts[.pending] == 0 { fold() }
        return old
    }

    /// Folds a finished host into its summary when few ports differ from the commonest one.
    private mutating func fold() {
        guard count >= Self.foldMinimum else { return }
        let commonState = CellState.all.dropFirst().max { counts[$0] < counts[$1] }!.rawValue
        guard let first = states.firstIndex(of: commonState) else { return }
        let commonReason = reasons[first]
        var differing: [Int: UInt16] = [:]
        for index in 0..<count where states[index] != commonState || reasons[index] != commonReason {
            differing[index] = UInt16(states[index]) << 8 | UInt16(reasons[index])
            guard differing.count <= count / 16 else { return } // a mixed host stays in arrays
        }
        common = (commonState, commonReason)
        others = differing
        states = []
        reasons = []
    }
}

/// Round trips by port position: a short list while there are few (a /16 of one open port each
/// holds 65,536 of these, and a one-entry dictionary is three times the list), a dictionary past
/// `listLimit` (an ACK scan's -p- makes every port unfiltered, each with its round trip).
private struct PortRoundTrips: Sendable {
    static let listLimit = 16
    private var few: [(position: Int32, rtt: Duration)] = []
    private var many: [Int: Duration]?

    subscript(position: Int) -> Duration? {
        get {
            if let many { return many[position] }
            return few.first { $0.position == Int32(position) }?.rtt
        }
        set {
            if many != nil {
                many![position] = newValue
                return
            }
            if let at = few.firstIndex(where: { $0.position == Int32(position) }) {
                if let newValue { few[at].rtt = newValue } else { few.remove(at: at) }
            } else if let newValue {
                few.append((Int32(position), newValue))
                if few.count > Self.listLimit {
                    many = Dictionary(uniqueKeysWithValues: few.map { (Int($0.position), $0.rtt) })
                    few = []
                }
            }
        }
    }
}
