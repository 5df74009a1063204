/// Columns padded to their widest cell and joined by one space, as nmap's port table is;
/// the last column is not padded, so lines carry no trailing blanks.
struct TextTable {
    var rows: [[String]]

    func render() -> [String] {
        guard let columns = rows.map(\.count).max(), columns > 0 else { return [] }
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: " ")
        }
    }
}
