import PortgridCore

/// A port's state as one byte, ordered by how much a person wants to see it, so a bucket of many
/// ports shows its most interesting state with a plain `max`:
/// open > open|filtered > unfiltered > closed > closed|filtered > filtered > pending.
struct CellState: RawRepresentable, Hashable, Comparable, Sendable {
    let rawValue: UInt8
    init(rawValue: UInt8) { self.rawValue = rawValue }

    static let pending = CellState(rawValue: 0)
    /// Distinct from every real state and below pending: a cell with nothing that passes the filter.
    static let hidden = CellState(rawValue: 255)
    /// Only in a folded grid cell: some of its ports are decided, some still pending. A person must
    /// never read a half-scanned cell as done, so this beats every decided state except open.
    static let partial = CellState(rawValue: 254)

    init(_ state: PortState) { rawValue = UInt8(state.interest) }

    /// nil for pending (and hidden).
    var portState: PortState? { Int(rawValue) < Self.byCode.count ? Self.byCode[Int(rawValue)] : nil }

    /// Code -> state, built once (the renderer asks for every cell of every frame).
    private static let byCode: [PortState?] = (0...PortState.allCases.count).map { code in
        PortState.allCases.first { $0.interest == code }
    }

    var isKnown: Bool { portState != nil }

    /// Every code a cell can hold, pending first: the index space of per-state counters.
    static let all: [CellState] = [.pending] + PortState.allCases.sorted { $0.interest < $1.interest }.map(CellState.init)
    static let count = PortState.allCases.count + 1

    static func < (a: Self, b: Self) -> Bool {
        // hidden ranks lowest of all so any visible cell in a bucket wins over it.
        (a == .hidden ? -1 : Int(a.rawValue)) < (b == .hidden ? -1 : Int(b.rawValue))
    }
}
