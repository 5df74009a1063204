/// A grid of cells the renderer draws on. Two implementations: MemoryScreen (tests, snapshots)
/// and CursesScreen (the terminal). Text is clipped to the screen and to `width`; every glyph
/// the renderer uses is one column wide.
protocol Screen {
    var size: ScreenSize { get }
    /// False when the locale is not UTF-8: the renderer then draws with ASCII only.
    var unicode: Bool { get }
    mutating func clear()
    mutating func put(_ cell: Cell, x: Int, y: Int)
}

extension Screen {
    /// Writes `text` from (x, y), at most `width` columns; returns the column after the last glyph.
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, width: Int? = nil) -> Int {
        guard y >= 0, y < size.rows else { return x }
        let limit = min(size.cols, width.map { x + max(0, $0) } ?? size.cols)
        var column = x
        for glyph in text {
            guard column < limit else { break }
            if column >= 0 {
                // A control character (a newline in an error text, an escape in a host name, a C1
                // CSI that some terminals obey) would move the terminal's cursor or worse: it is
                // drawn as a blank. Text from the network is escaped before it gets here (SafeText).
                let printable: Character = glyph.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
                    ? " " : glyph
                put(Cell(glyph: unicode ? printable : AsciiFallback.map(printable), style: style), x: column, y: y)
            }
            column += 1
        }
        return column
    }

    mutating func fill(_ rect: Rect, glyph: Character = " ", style: Style = .normal) {
        for y in max(0, rect.y)..<max(max(0, rect.y), min(size.rows, rect.maxY)) {
            for x in max(0, rect.x)..<max(max(0, rect.x), min(size.cols, rect.maxX)) {
                put(Cell(glyph: glyph, style: style), x: x, y: y)
            }
        }
    }
}

/// The screen of the tests: cells in memory, read back as text.
struct MemoryScreen: Screen {
    let size: ScreenSize
    let unicode: Bool
    private(set) var cells: [Cell]

    init(cols: Int, rows: Int, unicode: Bool = true) {
        size = ScreenSize(cols: cols, rows: rows)
        self.unicode = unicode
        cells = Array(repeating: .blank, count: size.cols * size.rows)
    }

    mutating func clear() {
        for i in cells.indices { cells[i] = .blank }
    }

    mutating func put(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, y >= 0, x < size.cols, y < size.rows else { return }
        cells[y * size.cols + x] = cell
    }

    func cell(x: Int, y: Int) -> Cell { cells[y * size.cols + x] }

    func row(_ y: Int) -> String {
        String(cells[(y * size.cols)..<((y + 1) * size.cols)].map(\.glyph))
    }

    /// Every row, trailing blanks cut: what a snapshot compares.
    var text: String {
        (0..<size.rows).map { y in
            var line = row(y)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
