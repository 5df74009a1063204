/// One technique's answers as a grid: a row per host that answered, a `PortCell` per port of the
/// axis. The axis is the union of the technique's plans' port sets (a result outside it widens it),
/// and a host's row is made on its first result, so a one-port sweep of a /16 is one cell a host
/// and a -p- scan of one host one row of 65,535 cells (512 KB).
struct PortGrid: Sendable {
    let technique: Technique
    private(set) var axis = PortSet()
    /// By host number; -1: no row yet.
    private var rowOf: [Int32] = []
    private var rowCount = 0
    private var cells: [PortCell] = []
    /// Cells holding a result.
    private(set) var filled = 0

    init(technique: Technique) { self.technique = technique }

    private var width: Int { axis.count }

    /// Makes room for `ports`: the cells move to the wider axis (a new plan, rarely a stray result).
    mutating func widen(to ports: PortSet) {
        let wider = axis.union(ports)
        guard wider.count != width else { return }
        var moved = [PortCell](repeating: .empty, count: rowCount * wider.count)
        let newIndex = axis.map { wider.index(of: $0)! }
        for row in 0..<rowCount {
            for (column, target) in newIndex.enumerated() {
                moved[row * wider.count + target] = cells[row * width + column]
            }
        }
        axis = wider
        cells = moved
    }

    /// Records a cell; true when the (host, port) had none before.
    @discardableResult
    mutating func set(host: Int32, port: UInt16, _ cell: PortCell) -> Bool {
        let column: Int
        if let index = axis.index(of: port) {
            column = index
        } else {
            widen(to: PortSet([port...port]))
            column = axis.index(of: port)!
        }
        let row = makeRow(host)
        let wasEmpty = cells[row * width + column].isEmpty
        cells[row * width + column] = cell
        if wasEmpty { filled += 1 }
        return wasEmpty
    }

    /// The same technique and axis, with no row.
    func emptied() -> PortGrid {
        var empty = PortGrid(technique: technique)
        empty.axis = axis
        return empty
    }

    /// Another grid's row as `host`'s, which has none yet: in one piece when the axes agree (a
    /// hostgroup moved out of a store). Returns the results it added.
    mutating func copy(_ row: PortRow, to host: Int32) -> Int {
        guard row.axis == axis, self.row(of: host) == nil else {
            var added = 0
            row.forEach { port, cell in if set(host: host, port: port, cell) { added += 1 } }
            return added
        }
        _ = makeRow(host)
        let added = row.count
        cells.replaceSubrange(cells.count - width ..< cells.count, with: row.cells)
        filled += added
        return added
    }

    /// How many cells hold a result in `state`.
    func count(of state: PortState) -> Int {
        cells.reduce(0) { $0 + (!$1.isEmpty && $1.state == state ? 1 : 0) }
    }

    /// One host's row, nil when it has no result for this technique.
    func row(host: Int32) -> PortRow? {
        guard let row = row(of: host) else { return nil }
        return PortRow(technique: technique, axis: axis, cells: cells[row * width ..< (row + 1) * width])
    }

    private func row(of host: Int32) -> Int? {
        guard Int(host) < rowOf.count, rowOf[Int(host)] >= 0 else { return nil }
        return Int(rowOf[Int(host)])
    }

    private mutating func makeRow(_ host: Int32) -> Int {
        if let row = row(of: host) { return row }
        if Int(host) >= rowOf.count {
            rowOf.append(contentsOf: repeatElement(-1, count: Int(host) + 1 - rowOf.count))
        }
        rowOf[Int(host)] = Int32(rowCount)
        rowCount += 1
        cells.append(contentsOf: repeatElement(.empty, count: width))
        return rowCount - 1
    }
}

/// One host's answers to one technique, in port order: a view of the store's cells, not a copy.
public struct PortRow: Sendable {
    public let technique: Technique
    let axis: PortSet
    let cells: ArraySlice<PortCell>

    /// Calls `body` for each port with a result, in ascending port order.
    public func forEach(_ body: (UInt16, PortCell) throws -> Void) rethrows {
        var index = cells.startIndex
        for range in axis.ranges {
            for port in range {
                let cell = cells[index]
                if !cell.isEmpty { try body(port, cell) }
                index += 1
            }
        }
    }

    /// How many ports have a result.
    public var count: Int { cells.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) } }
}
