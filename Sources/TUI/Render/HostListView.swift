import PortgridCore

/// The left pane: one line per host that is up, the selected one highlighted. Columns: the
/// address, a count for every state the shown techniques produce (a FIN scan's open|filtered, not
/// a column of zeros under OPEN), the round trip, then the name in whatever width is left.
enum HostListView {
    struct Column {
        let heading: String
        let width: Int
        let state: CellState?
    }

    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let pane = layout.hosts
        let listed = state.listedHosts
        let rows = layout.hostRows
        let selected = state.selectedHost
        let top = top(state, layout, listed)
        let visible = listed[min(top, listed.count)..<min(listed.count, top + rows)]
        let boards = state.shownBoards
        let addressWidth = max(9, visible.map { $0.description.count }.max() ?? 0)
        let counts = Dictionary(uniqueKeysWithValues: visible.map { host in
            (host, boards.reduce(StateCounts()) { $0 + $1.counts(of: host) })
        })
        let columns = self.columns(state, boards, Array(counts.values), addressWidth: addressWidth, width: pane.width)
        let nameX = pane.x + 1 + addressWidth + columns.reduce(0) { $0 + $1.width }
        let named = visible.contains { state.hosts[$0]?.displayName != nil }
        var heading = " " + Format.padRight("HOST", addressWidth)
        for column in columns { heading += Format.padLeft(column.heading, column.width) }
        if named && nameX + 5 <= pane.maxX { heading += " NAME" }
        screen.put(heading, x: pane.x, y: pane.y, style: Style(.dim, bold: true), width: pane.width)

        guard !listed.isEmpty else {
            let text = !state.view.hostSearch.isEmpty ? "no host matches '\(state.view.hostSearch)'"
                : state.scan.isRunning ? "discovering hosts" + String(g.ellipsis) : "no host is up"
            screen.put(text, x: pane.x + 1, y: pane.y + 1, style: Style(.dim), width: pane.width - 1)
            return
        }

        for (row, address) in visible.enumerated() {
            let y = pane.y + 1 + row
            let info = state.hosts[address]
            let counts = counts[address] ?? StateCounts()
            let isSelected = address == selected
            let base = Style(isSelected ? (state.view.focus == .hosts ? .focus : .title) : .normal,
                             bold: isSelected, reverse: isSelected)
            screen.fill(Rect(x: pane.x, y: y, width: pane.width, height: 1), style: base)
            screen.put(String(isSelected ? g.selected : " "), x: pane.x, y: y, style: base)
            var x = screen.put(address.description, x: pane.x + 1, y: y, style: base, width: addressWidth)
            x = pane.x + 1 + addressWidth
            for column in columns {
                let text: String
                var style = isSelected ? base : Style(.dim)
                if let cell = column.state {
                    let count = counts[cell]
                    text = "\(count)"
                    if !isSelected && count > 0 { style = Style(Glyphs.role(cell), bold: cell == CellState(.open)) }
                } else {
                    text = info?.rtt.map(Format.rtt) ?? "-"
                }
                x = screen.put(Format.padLeft(text, column.width), x: x, y: y, style: style)
            }
            if let name = info?.displayName, nameX + 5 <= pane.maxX {
                screen.put(name, x: nameX + 1, y: y, style: isSelected ? base : Style(.dim), width: pane.maxX - nameX - 1)
            }
        }
        if listed.count > rows {
            let more = "\(top + 1)-\(min(listed.count, top + rows))/\(listed.count)"
            screen.put(more, x: pane.maxX - more.count - 1, y: layout.hosts.maxY, style: Style(.dim))
        }
    }

    /// The first listed host on screen: the scroll position, moved just enough to show the selection.
    static func top(_ state: AppState, _ layout: Layout, _ listed: [IPAddress]) -> Int {
        let rows = layout.hostRows
        let selectedIndex = state.selectedHost.flatMap { state.index(of: $0, in: listed) } ?? 0
        var top = min(state.view.hostTop, max(0, listed.count - rows))
        if selectedIndex < top { top = selectedIndex }
        if selectedIndex >= top + rows { top = selectedIndex - rows + 1 }
        return top
    }

    /// The count columns that fit, in the order people read them: every state the techniques
    /// produce, then the round trip.
    static func columns(_ state: AppState, _ boards: [TechniqueBoard], _ counts: [StateCounts], addressWidth: Int,
                        width: Int) -> [Column] {
        // As wide as the largest count on screen needs, so 80 columns keep room for the RTT.
        var wanted = producedStates(of: boards.map(\.plan.technique)).map { cell in
            let digits = "\(counts.map { $0[cell] }.max() ?? 0)".count
            return Column(heading: cell.shortName, width: max(cell.shortName.count, digits) + 1, state: cell)
        }
        wanted.append(Column(heading: "RTT", width: 7, state: nil))
        var room = width - 1 - addressWidth
        var columns: [Column] = []
        for column in wanted where column.width <= room {
            columns.append(column)
            room -= column.width
        }
        return columns
    }
}
