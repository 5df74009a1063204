/// The `?` overlay: every key, in a box over the middle of the screen.
enum HelpOverlay {
    static let lines: [(String, String)] = [
        ("", "Technique (cancels the running scan, starts the new one; results are kept)"),
        ("s t u", "TCP SYN · TCP connect · UDP"),
        ("f n x a", "TCP FIN · TCP NULL · TCP Xmas · TCP ACK"),
        ("p", "ping sweep (hosts only)"),
        ("c", "cycle the results shown: current · other techniques · all"),
        ("", "Timing (applied to the running scan)"),
        ("0-5", "timing template T0 paranoid ... T5 insane"),
        ("+ -", "raise / lower the max rate"),
        ("Space", "pause / resume         Enter  rescan"),
        ("", "Range"),
        ("r  P", "edit targets / ports (Enter apply, Esc cancel, Ctrl-U clear)"),
        ("", "View"),
        ("arrows hjkl", "move      PgUp PgDn  page      g G  first / last"),
        ("Tab", "switch pane (hosts / ports)"),
        ("v", "grid / open-ports list     z Z  zoom into cell / out"),
        ("/", "filter: open, closed, filtered, a port or a service"),
        ("e", "export now (format from the file extension)"),
        ("q Ctrl-C", "quit (the results table is printed)     ? Esc  close help"),
    ]

    static func draw(_ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let keyWidth = 14
        let contentWidth = lines.map { $0.0.isEmpty ? $0.1.count : keyWidth + $0.1.count }.max() ?? 0
        let width = min(layout.size.cols - 2, contentWidth + 4)
        let height = min(layout.size.rows - 2, lines.count + 4)
        let box = Rect(x: (layout.size.cols - width) / 2, y: (layout.size.rows - height) / 2, width: width, height: height)
        screen.fill(box)
        let border = Style(.accent, bold: true)
        for x in box.x..<box.maxX {
            screen.put(Cell(glyph: g.horizontal, style: border), x: x, y: box.y)
            screen.put(Cell(glyph: g.horizontal, style: border), x: x, y: box.maxY - 1)
        }
        for y in box.y..<box.maxY {
            screen.put(Cell(glyph: g.vertical, style: border), x: box.x, y: y)
            screen.put(Cell(glyph: g.vertical, style: border), x: box.maxX - 1, y: y)
        }
        screen.put(Cell(glyph: g.topLeft, style: border), x: box.x, y: box.y)
        screen.put(Cell(glyph: g.topRight, style: border), x: box.maxX - 1, y: box.y)
        screen.put(Cell(glyph: g.bottomLeft, style: border), x: box.x, y: box.maxY - 1)
        screen.put(Cell(glyph: g.bottomRight, style: border), x: box.maxX - 1, y: box.maxY - 1)
        screen.put(" portgrid keys ", x: box.x + 2, y: box.y, style: Style(.accent, bold: true, reverse: true))
        let inner = width - 4
        for (i, (key, text)) in lines.prefix(height - 4).enumerated() {
            let y = box.y + 2 + i
            if key.isEmpty {
                screen.put(text, x: box.x + 2, y: y, style: Style(.title, bold: true), width: inner)
            } else {
                screen.put(key, x: box.x + 3, y: y, style: Style(.accent, bold: true), width: keyWidth - 2)
                screen.put(text, x: box.x + 2 + keyWidth, y: y, width: inner - keyWidth)
            }
        }
    }
}
