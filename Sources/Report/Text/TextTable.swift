/// Columns padded to their widest cell and joined by one space, as nmap's port table is;
/// the last column is not padded, so lines carry no trailing blanks. Cells are kept row after row
/// in one array (a table per host of a /16 made an array per row and a string per padded cell).
struct TextTable {
    let columns: Int
    private var cells: [String] = []

    init(columns: Int, rows: Int = 0) {
        self.columns = columns
        cells.reserveCapacity(columns * rows)
    }

    /// Rows of `columns` cells each.
    init(rows: [[String]]) {
        self.init(columns: rows.first?.count ?? 0, rows: rows.count)
        for row in rows { append(row) }
    }

    /// The next cell, filling rows left to right.
    mutating func append(_ cell: String) { cells.append(cell) }

    mutating func append(_ row: [String]) {
        precondition(row.count == columns, "every row of a table has its columns")
        cells.append(contentsOf: row)
    }

    /// The lines, each ending in a line feed.
    func write(to out: ReportSink) {
        lines { cell, padding in
            if let cell { out.write(cell); out.pad(padding) } else { out.write("\n") }
        }
    }

    func render() -> [String] {
        var lines: [String] = [], line = ""
        self.lines { cell, padding in
            if let cell {
                line += cell + String(repeating: " ", count: padding)
            } else {
                lines.append(line)
                line = ""
            }
        }
        return lines
    }

    /// The one layout rule: each cell with the blanks after it (a column's width less its own,
    /// plus the one between columns; none after the last), then nil where a line ends.
    private func lines(_ emit: (_ cell: String?, _ padding: Int) -> Void) {
        guard columns > 0 else { return }
        precondition(cells.count % columns == 0, "a table's last row is complete")
        // A cell's width is its characters; a printable ASCII cell's are its bytes, which cost
        // no grapheme walk (every cell of a /16's port tables).
        let lengths = cells.map { cell in cell.utf8.allSatisfy { (0x20..<0x7F).contains($0) } ? cell.utf8.count : cell.count }
        var widths = Array(repeating: 0, count: columns)
        for (index, length) in lengths.enumerated() { widths[index % columns] = max(widths[index % columns], length) }
        for (index, cell) in cells.enumerated() {
            let column = index % columns
            if column == columns - 1 {
                emit(cell, 0)
                emit(nil, 0)
            } else {
                emit(cell, widths[column] - lengths[index] + 1)
            }
        }
    }
}
