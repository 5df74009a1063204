/// The `?` overlay: every key of the key table by section, in a box that fits the screen and
/// scrolls when the screen is smaller than the list (60x14 shows six lines at a time).
enum HelpOverlay {
    static let keyWidth = 18

    static func box(_ layout: Layout, viewing: Bool) -> Rect {
        let lines = KeyTable.helpLines(viewing: viewing)
        let contentWidth = lines.map { $0.keys.isEmpty ? $0.text.count : keyWidth + $0.text.count }.max() ?? 0
        let width = min(layout.size.cols - 2, contentWidth + 4)
        let height = min(layout.size.rows - 2, lines.count + 3)
        return Rect(x: (layout.size.cols - width) / 2, y: (layout.size.rows - height) / 2, width: width, height: height)
    }

    /// Lines of keys on screen at once: the box less its borders and the first blank row.
    static func visibleRows(_ layout: Layout, viewing: Bool) -> Int { max(1, box(layout, viewing: viewing).height - 3) }

    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let viewing = state.viewing != nil
        let lines = KeyTable.helpLines(viewing: viewing)
        let box = box(layout, viewing: viewing)
        Frame.draw(box, title: " portgrid keys ", g, &screen)
        let visible = visibleRows(layout, viewing: viewing)
        let top = max(0, min(state.helpTop, lines.count - visible))
        let inner = box.width - 4
        let keyWidth = min(Self.keyWidth, max(8, inner / 3))
        for (i, line) in lines[top..<min(lines.count, top + visible)].enumerated() {
            let y = box.y + 2 + i
            if line.keys.isEmpty {
                screen.put(line.text, x: box.x + 2, y: y, style: Style(.title, bold: true), width: inner)
            } else {
                screen.put(line.keys, x: box.x + 3, y: y, style: Style(.accent, bold: true), width: keyWidth - 2)
                screen.put(line.text, x: box.x + 2 + keyWidth, y: y, width: inner - keyWidth)
            }
        }
        var keys = "Esc closes"
        if lines.count > visible {
            keys = "↑↓ PgUp PgDn · \(top + 1)-\(min(lines.count, top + visible))/\(lines.count) · " + keys
        }
        screen.put(" \(keys) ", x: box.x + 2, y: box.maxY - 1, style: Style(.dim), width: inner)
    }
}
