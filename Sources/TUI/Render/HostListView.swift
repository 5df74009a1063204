import PortgridCore

/// The left pane: one line per host that is up, the selected one highlighted.
enum HostListView {
    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let pane = layout.hosts
        let listed = state.listedHosts
        let rows = layout.hostRows
        let selected = state.selectedHost
        let selectedIndex = selected.map { HostDirectory.insertionPoint(of: $0, in: listed) } ?? 0
        var top = min(state.view.hostTop, max(0, listed.count - rows))
        if selectedIndex < top { top = selectedIndex }
        if selectedIndex >= top + rows { top = selectedIndex - rows + 1 }
        let visible = listed[min(top, listed.count)..<min(listed.count, top + rows)]
        let addressWidth = min(max(15, visible.map { $0.description.count }.max() ?? 0), pane.width - 15)
        let columns = Columns(pane: pane, addressWidth: addressWidth)
        screen.put(columns.heading, x: pane.x, y: pane.y, style: Style(.dim, bold: true), width: pane.width)

        guard !listed.isEmpty else {
            let text = state.scan.isRunning ? "discovering hosts" + String(g.ellipsis) : "no host is up"
            screen.put(text, x: pane.x + 1, y: pane.y + 1, style: Style(.dim), width: pane.width - 1)
            return
        }
        let boards = state.shownBoards

        for (row, address) in visible.enumerated() {
            let y = pane.y + 1 + row
            let info = state.hosts[address]
            let open = boards.reduce(0) { $0 + $1.counts(of: address)[CellState(.open)] }
            let isSelected = address == selected
            let base = Style(isSelected ? (state.view.focus == .hosts ? .focus : .title) : .normal,
                             bold: isSelected, reverse: isSelected)
            screen.fill(Rect(x: pane.x, y: y, width: pane.width, height: 1), style: base)
            screen.put(String(isSelected ? g.selected : " "), x: pane.x, y: y, style: base)
            screen.put(address.description, x: pane.x + 1, y: y, style: base, width: addressWidth)
            let up = info?.status == .up
            screen.put(String(up ? g.up : g.down), x: columns.status, y: y,
                       style: isSelected ? base : Style(up ? .open : .dim))
            screen.put(Format.padLeft("\(open)", 5), x: columns.open, y: y,
                       style: isSelected ? base : Style(open > 0 ? .open : .dim, bold: open > 0))
            if let rtt = info?.rtt, columns.rtt + 7 <= pane.maxX {
                screen.put(Format.padLeft(Format.rtt(rtt), 7), x: columns.rtt, y: y, style: isSelected ? base : Style(.dim))
            }
            if let name = info?.hostname, let x = columns.name, x < pane.maxX {
                screen.put(name, x: x, y: y, style: isSelected ? base : Style(.dim), width: pane.maxX - x)
            }
        }
        if listed.count > rows {
            let more = "\(top + 1)-\(min(listed.count, top + rows))/\(listed.count)"
            screen.put(more, x: pane.maxX - more.count - 1, y: layout.box.maxY - 1, style: Style(.dim))
        }
    }

    /// Column starts: marker, address, up/down, open count, round trip, then the name if room.
    struct Columns {
        let pane: Rect
        let addressWidth: Int

        var status: Int { pane.x + 1 + addressWidth + 1 }
        var open: Int { status + 1 }
        var rtt: Int { open + 5 }
        var name: Int? { rtt + 7 + 1 + 4 <= pane.maxX ? rtt + 8 : nil }

        var heading: String {
            var text = " " + Format.padRight("HOST", addressWidth) + "  " + " OPEN"
            if rtt + 7 <= pane.maxX { text += "    RTT" }
            if name != nil { text += " NAME" }
            return text
        }
    }
}
