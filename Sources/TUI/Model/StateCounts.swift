/// How many ports are in each state: kept up to date as results arrive so the header and host
/// list never count by walking 65,535 ports.
struct StateCounts: Hashable, Sendable {
    private var counts = [Int](repeating: 0, count: CellState.count)

    init() {}

    subscript(state: CellState) -> Int {
        get { state == .hidden ? 0 : counts[Int(state.rawValue)] }
        set { if state != .hidden { counts[Int(state.rawValue)] = newValue } }
    }

    mutating func move(from old: CellState, to new: CellState) {
        self[old] -= 1
        self[new] += 1
    }

    static func + (a: Self, b: Self) -> Self {
        var sum = a
        for state in CellState.all { sum[state] += b[state] }
        return sum
    }

    var known: Int { CellState.all.dropFirst().reduce(0) { $0 + self[$1] } }
}
