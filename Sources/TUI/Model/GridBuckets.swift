/// How `count` ports map onto at most `capacity` cells: when there are more ports than cells each
/// cell stands for a run of `size` consecutive ports (the last run may be shorter).
struct GridBuckets: Hashable, Sendable {
    let count: Int
    let size: Int
    let cells: Int

    init(count: Int, capacity: Int) {
        self.count = max(0, count)
        let capacity = max(1, capacity)
        size = max(1, (self.count + capacity - 1) / capacity)
        cells = (self.count + size - 1) / size
    }

    /// Offsets (from the start of the grid's domain) that cell `cell` covers.
    func range(ofCell cell: Int) -> Range<Int> {
        let low = min(count, cell * size)
        return low..<min(count, low + size)
    }

    func cell(ofOffset offset: Int) -> Int {
        guard cells > 0 else { return 0 }
        return min(cells - 1, max(0, offset / size))
    }

    /// The state each cell shows, from per-offset states: open if any port is open (open always
    /// wins); `.partial` if some ports are decided and some still pending; else the most
    /// interesting state of its ports. Hidden offsets (filtered out) take no part.
    func fold(_ states: some RandomAccessCollection<CellState>) -> [CellState] {
        var result = [CellState](repeating: .hidden, count: cells)
        let open = CellState(.open)
        var cell = 0, filled = 0
        var best = CellState.hidden
        var pending = false
        func close() {
            result[cell] = pending && best != open && best.isKnown ? .partial : (pending && best == .hidden ? .pending : best)
        }
        for state in states {
            if state == .pending { pending = true } else if state > best { best = state }
            filled += 1
            if filled == size {
                close()
                cell += 1
                filled = 0
                best = .hidden
                pending = false
            }
        }
        if filled > 0 && cell < cells { close() }
        return result
    }
}
