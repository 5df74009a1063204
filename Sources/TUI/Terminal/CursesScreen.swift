import CNcursesw

/// The terminal as a Screen. The renderer draws into a back buffer; `present` compares it with
/// what is on the terminal and sends only the rows that changed, in runs of one style, so a
/// 200x60 screen at 30 frames a second costs little. Terminal thread only.
struct CursesScreen: Screen {
    private(set) var size: ScreenSize
    let unicode: Bool
    private var back: MemoryScreen
    private var front: MemoryScreen?

    init(size: ScreenSize, unicode: Bool) {
        self.size = size
        self.unicode = unicode
        back = MemoryScreen(cols: size.cols, rows: size.rows, unicode: unicode)
    }

    mutating func clear() { back.clear() }

    mutating func put(_ cell: Cell, x: Int, y: Int) { back.put(cell, x: x, y: y) }

    /// Takes a frame drawn elsewhere as the back buffer: whole when it is this size, else the part
    /// that fits (a frame drawn before a resize).
    mutating func show(_ frame: MemoryScreen) {
        if frame.size == size {
            back = frame
            return
        }
        back.clear()
        for y in 0 ..< min(size.rows, frame.size.rows) {
            for x in 0 ..< min(size.cols, frame.size.cols) { back.put(frame.cell(x: x, y: y), x: x, y: y) }
        }
    }

    /// A new size: everything is drawn again.
    mutating func resize(_ newSize: ScreenSize) {
        size = newSize
        back = MemoryScreen(cols: newSize.cols, rows: newSize.rows, unicode: unicode)
        front = nil
        clearok(pg_stdscr(), true)
    }

    mutating func present() {
        let window = pg_stdscr()
        let cols = size.cols
        var buffer: [wchar_t] = []
        buffer.reserveCapacity(cols * 2)
        for y in 0..<size.rows {
            if let front, front.cells[(y * cols)..<((y + 1) * cols)] == back.cells[(y * cols)..<((y + 1) * cols)] {
                continue
            }
            var x = 0
            while x < cols {
                let style = back.cell(x: x, y: y).style
                let start = x
                buffer.removeAll(keepingCapacity: true)
                while x < cols, back.cell(x: x, y: y).style == style {
                    for scalar in back.cell(x: x, y: y).glyph.unicodeScalars { buffer.append(wchar_t(bitPattern: scalar.value)) }
                    x += 1
                }
                let look = Palette.look(style)
                wattr_set(window, look.attributes, look.pair, nil)
                _ = wmove(window, Int32(y), Int32(start))
                _ = waddnwstr(window, buffer, Int32(buffer.count))
            }
        }
        wattr_set(window, pg_a_normal(), 0, nil)
        wrefresh(window)
        front = back
    }
}
