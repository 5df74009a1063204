import PortgridCore

/// The three lines under the panes: the legend, the detail of what is under the cursor (or the
/// input line's complaint), and the footer (input line, a message, or the key hints).
enum StatusLines {
    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        drawLegend(state, layout, g, &screen)
        drawDetail(state, layout, &screen)
        drawFooter(state, layout, g, &screen)
    }

    static func drawLegend(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        var states: [(CellState, String)] = [
            (CellState(.open), "open"), (CellState(.openFiltered), "open|filtered"),
            (CellState(.unfiltered), "unfiltered"), (CellState(.closed), "closed"),
        ]
        if layout.size.cols >= 100 { states.append((CellState(.closedFiltered), "closed|filtered")) }
        states += [(CellState(.filtered), "filtered"), (.pending, "pending")]
        var x = 1
        // An active filter changes what every cell means: it leads the line.
        if !state.view.filter.isEmpty {
            x = screen.put(" filter: \(state.view.filter.text) ", x: 0, y: layout.legendRow,
                           style: Style(.warning, bold: true, reverse: true), width: layout.size.cols / 2)
            x += 1
        }
        for (state, name) in states {
            guard x + name.count + 2 < layout.size.cols else { break }
            screen.put(Cell(glyph: g.glyph(state), style: Style(Glyphs.role(state), bold: true)), x: x, y: layout.legendRow)
            x = screen.put(" " + name + "  ", x: x + 1, y: layout.legendRow, style: Style(.dim))
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
        case .filter: " · e.g. open   open closed   ssh   8080   (empty = all)"
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
        for (key, what) in hints(state) {
            guard x + key.count + what.count + 2 <= width else { break }
            x = screen.put(key, x: x, y: y, style: Style(.accent, bold: true))
            x = screen.put(" " + what + "  ", x: x, y: y, style: Style(.dim))
        }
    }

    /// The keys that matter now, most useful first (cut at the screen's edge).
    static func hints(_ state: AppState) -> [(String, String)] {
        var hints: [(String, String)] = [("q", "quit"), ("?", "help")]
        if !state.view.zoom.isEmpty { hints.append(("Z", "zoom out")) }
        if !state.view.filter.isEmpty { hints.append(("Esc", "clear filter")) }
        if state.scan.isRunning { hints.append(("Space", state.scan.paused ? "resume" : "pause")) }
        else { hints.append(("Enter", "rescan")) }
        hints += [("s t u f n x a p", "technique"), ("0-5", "timing"), ("+/-", "rate"), ("r", "targets"),
                  ("P", "ports"), ("v", state.view.mode == .grid ? "list" : "grid"), ("z", "zoom"), ("/", "filter"),
                  ("c", "cycle results"), ("e", "export"), ("Tab", "pane")]
        return hints
    }
}
