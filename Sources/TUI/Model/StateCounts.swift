/// How many ports are in each state: kept up to date as results arrive so the header and host
/// list never count by walking 65,535 ports.
///
/// Inline, not an array: every host of a board keeps one, and a heap array was 112 bytes a host.
struct StateCounts: Hashable, Sendable {
    /// Room for every `CellState` that counts (pending and the six port states).
    static let slots = 7
    private var counts = InlineArray<7, Int>(repeating: 0)

    init() {}

    static func == (a: Self, b: Self) -> Bool { (0 ..< slots).allSatisfy { a.counts[$0] == b.counts[$0] } }

    func hash(into hasher: inout Hasher) {
        for slot in 0 ..< Self.slots { hasher.combine(counts[slot]) }
    }

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
