import PortgridCore

/// The right pane in grid view: every port of the shown range as a cell (or a bucket of ports
/// as one cell showing its most interesting state), each row labelled with its first port.
enum PortGridView {
    static func title(_ state: AppState, _ layout: Layout) -> String {
        let shown: String = switch state.view.shown {
        case .current: state.currentTechnique.title
        case .only(let technique): technique.title
        case .all: "all techniques"
        }
        if state.view.mode == .list {
            return (state.view.filter.states.isEmpty ? " Open ports · " : " Ports in filter · ") + shown + " "
        }
        let source = state.gridSource(for: nil)
        guard !source.isEmpty else { return " Ports · \(shown) " }
        let domain = state.view.zoom.last ?? 0..<source.ports.count
        let buckets = GridBuckets(count: domain.count, capacity: layout.gridCapacity)
        var parts = [" Ports \(source.ports[domain.lowerBound])-\(source.ports[domain.upperBound - 1])"]
        if buckets.size > 1 { parts.append("\(buckets.size) ports/cell") }
        if !state.view.zoom.isEmpty { parts.append("zoom \(state.view.zoom.count) (Z out)") }
        // The technique is in the header too: on a narrow pane it is the first to go.
        let full = ([parts[0], shown] + parts.dropFirst()).joined(separator: " · ") + " "
        return full.count <= layout.grid.width - 2 ? full : parts.joined(separator: " · ") + " "
    }

    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let pane = layout.grid
        let host = state.selectedHost
        let source = state.gridSource(for: host)
        if let message = emptyMessage(state, source) {
            for (i, line) in wrap(message, width: pane.width - 2).prefix(pane.height).enumerated() {
                screen.put(line, x: pane.x + 1, y: pane.y + i, style: Style(state.scan.phase == .finished(.failed) ? .error : .dim))
            }
            return
        }
        let domain = state.view.zoom.last ?? 0..<source.ports.count
        let buckets = GridBuckets(count: domain.count, capacity: layout.gridCapacity)
        let all = source.states()
        let filter = state.view.filter
        var visible = Array(all[domain])
        if !filter.isEmpty {
            let proto = source.techniques.count == 1 ? source.techniques[0].transport : .tcp
            var iterator = source.ports.makeIterator()
            var index = 0
            while let port = iterator.next(), index < domain.upperBound {
                if index >= domain.lowerBound {
                    let cell = visible[index - domain.lowerBound]
                    let service = filter.words.isEmpty ? nil : state.services.name(port: port, proto: proto)
                    if !filter.matches(state: cell, port: port, service: service) {
                        visible[index - domain.lowerBound] = .hidden
                    }
                }
                index += 1
            }
        }
        let cells = buckets.fold(visible)
        let perRow = layout.cellsPerRow
        let cursorCell = buckets.cell(ofOffset: state.view.cursor - domain.lowerBound)
        let focused = state.view.focus == .grid

        for (i, cell) in cells.enumerated() {
            let row = i / perRow, column = i % perRow
            guard row < layout.gridRows else { break }
            let y = pane.y + row
            if column == 0 {
                let first = source.ports[domain.lowerBound + buckets.range(ofCell: i).lowerBound]
                screen.put(Format.padLeft("\(first)", Layout.labelWidth - 1), x: pane.x, y: y, style: Style(.dim))
            }
            let isCursor = i == cursorCell
            var style = Style(Glyphs.role(cell), bold: cell == CellState(.open))
            if isCursor { style = Style(focused ? .focus : style.role, bold: true, reverse: true) }
            var glyph = g.glyph(cell)
            if isCursor && glyph == " " { glyph = g.glyph(.pending) }
            screen.put(Cell(glyph: glyph, style: style), x: pane.x + Layout.labelWidth + column, y: y)
        }
    }

    /// What the pane says when there is no grid to draw.
    static func emptyMessage(_ state: AppState, _ source: GridSource) -> String? {
        if state.currentTechnique == .ping, state.view.shown == .current {
            let total = state.scan.plan?.hosts.count ?? Int(clamping: state.request.targets.count)
            return "Ping sweep: \(state.hosts.upCount) of \(total) hosts up. Press t, s or u to scan their ports."
        }
        guard source.isEmpty else { return nil }
        switch state.scan.phase {
        case .finished(.failed):
            return "The scan failed: \(state.scan.summary?.error ?? "see the message below"). Press another technique key, r to change targets, or R to retry."
        case .finished:
            return "Nothing to show for this technique yet. Press R to scan."
        default:
            return "Waiting for the scan to start" + (state.hosts.upCount == 0 ? " (discovering hosts)" : "") + "..."
        }
    }

    /// Word wrap for pane messages.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty { line = String(word) }
            else if line.count + 1 + word.count <= width { line += " " + word }
            else { lines.append(line); line = String(word) }
            while line.count > width {
                lines.append(String(line.prefix(width)))
                line = String(line.dropFirst(width))
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
