import PortgridCore

/// One host's ports for one technique, as arrays indexed by the port's position in the plan's
/// port set: folding a batch of results is O(batch · log ranges), never a search through results.
struct HostPorts: Sendable {
    private(set) var states: [UInt8]
    private(set) var reasons: [UInt8]
    /// Round trips only for the few ports worth listing (open and the like); closed ports are many
    /// and their round trip tells nothing the host's does not.
    private(set) var rtts: [Int: Duration] = [:]
    private(set) var counts: StateCounts

    init(portCount: Int) {
        states = [UInt8](repeating: CellState.pending.rawValue, count: portCount)
        reasons = [UInt8](repeating: 0, count: portCount)
        counts = StateCounts()
        counts[.pending] = portCount
    }

    var count: Int { states.count }

    func state(at index: Int) -> CellState { CellState(rawValue: states[index]) }

    func reason(at index: Int) -> Reason? {
        let code = reasons[index]
        return code == 0 ? nil : Self.reasonList[Int(code) - 1]
    }

    // Built once: `allCases` makes a new array on every call, too slow for the fold's hot path.
    private static let reasonList = Reason.allCases
    private static let reasonCodes = Dictionary(uniqueKeysWithValues: reasonList.enumerated().map { ($1, UInt8($0 + 1)) })

    func rtt(at index: Int) -> Duration? { rtts[index] }

    /// Records a result; returns the state it replaced so the board's totals follow.
    @discardableResult
    mutating func record(_ result: PortResult, at index: Int) -> CellState {
        let old = state(at: index)
        let new = CellState(result.state)
        states[index] = new.rawValue
        reasons[index] = Self.reasonCodes[result.reason] ?? 0
        if new >= CellState(.unfiltered), let rtt = result.rtt { rtts[index] = rtt } else { rtts[index] = nil }
        counts.move(from: old, to: new)
        return old
    }
}
