import PortgridCore

/// The right pane in list view: the selected host's open (or filtered-for) ports, nmap's columns.
enum PortListView {
    static let heading = "PORT      STATE          SERVICE          REASON           RTT"

    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let pane = layout.grid
        let showTechnique = state.view.shown == .all
        screen.put(" " + heading + (showTechnique ? "       TECHNIQUE" : ""), x: pane.x, y: pane.y,
                   style: Style(.dim, bold: true), width: pane.width)
        let entries = PortListing.entries(state)
        guard !entries.isEmpty else {
            let what = state.view.filter.states.isEmpty ? "No open ports" : "No ports in the filtered states"
            let text = state.selectedHost == nil ? "No host selected." : "\(what) on \(state.selectedHost!) yet."
            screen.put(text, x: pane.x + 1, y: pane.y + 1, style: Style(.dim), width: pane.width - 1)
            return
        }
        let rows = layout.listRows
        let cursor = min(state.view.listCursor, entries.count - 1)
        var top = min(state.view.listTop, max(0, entries.count - rows))
        if cursor < top { top = cursor }
        if cursor >= top + rows { top = cursor - rows + 1 }
        for (row, entry) in entries[top..<min(entries.count, top + rows)].enumerated() {
            let y = pane.y + 1 + row
            let selected = top + row == cursor && state.view.focus == .grid
            let base = selected ? Style(.focus, bold: true, reverse: true) : Style.normal
            if selected { screen.fill(Rect(x: pane.x, y: y, width: pane.width, height: 1), style: base) }
            var x = screen.put(" " + Format.padRight("\(entry.port)/\(entry.proto.rawValue)", 10), x: pane.x, y: y, style: base)
            x = screen.put(Format.padRight(entry.state.portState?.rawValue ?? "pending", 15), x: x, y: y,
                           style: selected ? base : Style(Glyphs.role(entry.state), bold: entry.state == CellState(.open)))
            x = screen.put(Format.padRight(Services.name(entry.port, entry.proto) ?? "unknown", 17), x: x, y: y, style: base)
            x = screen.put(Format.padRight(entry.reason?.rawValue ?? "", 17), x: x, y: y, style: selected ? base : Style(.dim))
            x = screen.put(Format.padLeft(entry.rtt.map(Format.rtt) ?? "", 6), x: x, y: y, style: selected ? base : Style(.dim))
            if showTechnique { screen.put("  " + entry.technique.title, x: x, y: y, style: selected ? base : Style(.dim), width: pane.maxX - x) }
        }
        if entries.count > rows {
            let more = " \(top + 1)-\(min(entries.count, top + rows))/\(entries.count) "
            screen.put(more, x: pane.maxX - more.count - 1, y: layout.box.maxY - 1, style: Style(.dim))
        }
    }
}
