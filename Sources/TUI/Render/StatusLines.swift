import PortgridCore

/// The three lines under the panes: the legend, the detail of what is under the cursor (or the
/// input line's complaint), and the footer (input line, a message, or the key hints).
enum StatusLines {
    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        drawLegend(state, layout, g, &screen)
        drawDetail(state, layout, &screen)
        drawFooter(state, layout, g, &screen)
    }

    /// What each glyph means, for the states the shown techniques produce, then the two kinds of
    /// unfinished cell: all pending, and partly scanned (some ports decided, some pending).
    static func drawLegend(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        var states = producedStates(of: state.shownTechniques)
        if states.isEmpty { states = state.currentTechnique.producedStates }
        let entries = states.map { ($0, $0.name) } + [(CellState.pending, "pending"), (CellState.partial, "partly scanned")]
        let compact = entries.reduce(1) { $0 + $1.1.count + 4 } > layout.size.cols
        var x = 1
        // An active filter changes what every cell means: it leads the line.
        if !state.view.filter.isEmpty {
            x = screen.put(" filter: \(state.view.filter.text) ", x: 0, y: layout.legendRow,
                           style: Style(.warning, bold: true, reverse: true), width: layout.size.cols / 2)
            x += 1
        }
        for (cell, fullName) in entries {
            // On a narrow screen "partly scanned" becomes "partly" and others lose their gaps.
            let name = compact && cell == .partial ? "partly" : fullName
            let gap = compact ? " " : "  "
            guard x + name.count + 2 < layout.size.cols else { break }
            let role = cell == .partial ? Role.pending : Glyphs.role(cell)
            screen.put(Cell(glyph: g.glyph(cell), style: Style(role, bold: true)), x: x, y: layout.legendRow)
            x = screen.put(" " + name + gap, x: x + 1, y: layout.legendRow, style: Style(.dim))
        }
    }

    static func drawDetail(_ state: AppState, _ layout: Layout, _ screen: inout some Screen) {
        let y = layout.detailRow
        if let input = state.input {
            if let error = input.error {
                screen.put("error: " + error, x: 0, y: y, style: Style(.error, bold: true))
            } else {
                screen.put("Enter apply · Esc cancel · ←/→ move · Ctrl-U clear" + hint(input.purpose), x: 0, y: y,
                           style: Style(.dim))
            }
            return
        }
        screen.put(Detail.text(state, layout), x: 0, y: y, style: Style(.title))
    }

    static func hint(_ purpose: InputLine.Purpose) -> String {
        switch purpose {
        case .targets: " · e.g. 127.0.0.1 198.18.0.0/24 10.0.0.1-20"
        case .ports: " · e.g. 22,80,443  1-1024  -  U:53,T:22"
        case .timing: " · e.g. -T4 --max-rtt-timeout 200ms --min-rate 500 --max-parallelism 50"
        case .filter: " · e.g. open   open closed   ssh   8080   (empty = all)"
        case .search: " · part of an address or a name (empty = all)"
        case .export: " · .xml .json .csv .md .gnmap .nmap .txt"
        }
    }

    static func drawFooter(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let y = layout.footerRow
        let width = layout.size.cols
        if let input = state.input {
            var x = screen.put(input.purpose.prompt + ": ", x: 0, y: y, style: Style(.accent, bold: true))
            let text = Array(input.string)
            // Scroll the text so the cursor stays on screen.
            let room = max(1, width - x - 1)
            let start = max(0, input.cursor - room + 1)
            let visible = String(text[start..<min(text.count, start + room)])
            let textX = x
            x = screen.put(visible, x: x, y: y, style: Style(bold: true))
            let cursorX = textX + input.cursor - start
            let under: Character = input.cursor < text.count ? text[input.cursor] : " "
            screen.put(Cell(glyph: under, style: Style(.focus, reverse: true)), x: cursorX, y: y)
            return
        }
        if let message = state.message {
            let role: Role = switch message.level {
            case .info: .info
            case .warning: .warning
            case .error: .error
            }
            let tail = "  ? help  q quit"
            screen.put(message.text, x: 0, y: y, style: Style(role, bold: message.level != .info), width: width)
            if message.text.count + tail.count <= width {
                screen.put(tail, x: width - tail.count, y: y, style: Style(.dim))
            }
            return
        }
        var x = 0
        for (key, what) in KeyTable.footer(state) {
            guard x + key.count + what.count + 2 <= width else { continue } // a shorter one may still fit
            x = screen.put(key, x: x, y: y, style: Style(.accent, bold: true))
            x = screen.put(" " + what + "  ", x: x, y: y, style: Style(.dim))
        }
    }
}
