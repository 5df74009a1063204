import PortgridCore

/// The right pane in list view: the selected host's open (or filtered-for) ports in nmap's
/// columns, each as wide as its longest entry so 80 columns hold them all.
enum PortListView {
    struct Row {
        var port, state, service, reason, rtt, technique, version: String
        var cell: CellState
    }

    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let pane = layout.grid
        let showTechnique = state.view.shown == .all
        let entries = PortListing.entries(state)
        let host = state.selectedHost
        // -sV adds the VERSION column, last, so it takes what width is left.
        let showVersion = state.detection != nil
        let rows = entries.map { entry in
            Row(port: "\(entry.port)/\(entry.proto.rawValue)", state: entry.state.portState?.rawValue ?? "pending",
                service: host.flatMap { state.serviceName($0, entry.proto, entry.port) } ?? "unknown",
                reason: entry.reason?.rawValue ?? "", rtt: entry.rtt.map(Format.rtt) ?? "", technique: entry.technique.title,
                version: host.flatMap { state.versionText($0, entry.proto, entry.port, open: entry.state == CellState(.open)) } ?? "",
                cell: entry.state)
        }
        func width(_ title: String, _ column: (Row) -> String) -> Int {
            max(title.count, rows.map { column($0).count }.max() ?? 0) + 2
        }
        var widths = [width("PORT", \.port), width("STATE", \.state), width("SERVICE", \.service),
                      width("REASON", \.reason), width("RTT", \.rtt) - 2]
        // On a narrow pane the version matters more than the reason and the RTT (both are in the
        // port's detail): they give way, reason first, until the VERSION column has some room. Then a
        // long service name does (its cut marked, the whole name in the port's detail): nmap calls
        // port 32771 "sometimes-rpc5", which left 80 columns a heading of "VERSIO".
        if showVersion {
            let techniqueWidth = showTechnique ? 2 + max(9, rows.map(\.technique.count).max() ?? 0) : 0
            func room() -> Int { pane.width - 1 - widths.reduce(0, +) - techniqueWidth - 2 }
            for dropped in [3, 4] where room() < Self.versionRoom { widths[dropped] = 0 }
            if room() < Self.versionRoom {
                widths[2] = max("SERVICE".count + 2, widths[2] - (Self.versionRoom - room()))
            }
        }
        let serviceWidth = widths[2] - 2
        var heading = " " + zip(["PORT", "STATE", "SERVICE", "REASON"], widths).map { $1 == 0 ? "" : Format.padRight($0, $1) }.joined()
        heading += (widths[4] == 0 ? "" : Format.padLeft("RTT", widths[4])) + (showTechnique ? "  TECHNIQUE" : "")
            + (showVersion ? "  VERSION" : "")
        screen.put(heading, x: pane.x, y: pane.y, style: Style(.dim, bold: true), width: pane.width)

        guard !rows.isEmpty else {
            let what = state.view.filter.states.isEmpty ? "No open ports" : "No ports in the filtered states"
            let text = state.selectedHost.map { "\(what) on \($0) yet." } ?? "No host selected."
            screen.put(text, x: pane.x + 1, y: pane.y + 1, style: Style(.dim), width: pane.width - 1)
            return
        }
        let visible = layout.listRows
        let cursor = min(state.view.listCursor, rows.count - 1)
        let top = top(state, layout, count: rows.count)
        for (offset, row) in rows[top..<min(rows.count, top + visible)].enumerated() {
            let y = pane.y + 1 + offset
            let selected = top + offset == cursor && state.view.focus == .grid
            let base = selected ? Style(.focus, bold: true, reverse: true) : Style.normal
            func style(_ other: Style) -> Style { selected ? base : other }
            if selected { screen.fill(Rect(x: pane.x, y: y, width: pane.width, height: 1), style: base) }
            let limit = pane.maxX
            var x = screen.put(" " + Format.padRight(row.port, widths[0]), x: pane.x, y: y, style: base, width: limit - pane.x)
            x = screen.put(Format.padRight(row.state, widths[1]), x: x, y: y,
                           style: style(Style(Glyphs.role(row.cell), bold: row.cell == CellState(.open))), width: limit - x)
            x = screen.put(Format.padRight(Format.cut(row.service, max: serviceWidth, ellipsis: g.ellipsis), widths[2]),
                           x: x, y: y, style: base, width: limit - x)
            if widths[3] > 0 {
                x = screen.put(Format.padRight(row.reason, widths[3]), x: x, y: y, style: style(Style(.dim)), width: limit - x)
            }
            if widths[4] > 0 {
                x = screen.put(Format.padLeft(row.rtt, widths[4]), x: x, y: y, style: style(Style(.dim)), width: limit - x)
            }
            if showTechnique { x = screen.put("  " + row.technique, x: x, y: y, style: style(Style(.dim)), width: limit - x) }
            if showVersion { screen.put("  " + row.version, x: x, y: y, style: style(Style(bold: true)), width: limit - x) }
        }
        if rows.count > visible {
            let more = " \(top + 1)-\(min(rows.count, top + visible))/\(rows.count) "
            screen.put(more, x: pane.maxX - more.count - 1, y: layout.grid.maxY, style: Style(.dim))
        }
    }

    /// Columns the VERSION column is given before REASON and RTT make way for it.
    static let versionRoom = 20

    /// The first row on screen: the scroll position, moved just enough to show the cursor.
    static func top(_ state: AppState, _ layout: Layout, count: Int) -> Int {
        let visible = layout.listRows
        let cursor = min(state.view.listCursor, count - 1)
        var top = min(state.view.listTop, max(0, count - visible))
        if cursor < top { top = cursor }
        if cursor >= top + visible { top = cursor - visible + 1 }
        return max(0, top)
    }
}
