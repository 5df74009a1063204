import PortgridCore

/// The panel under the hosts: the selected host's open ports by number and name (`22/tcp ssh`),
/// with product and version as -sV learns them, live, in as many columns as the width holds.
enum OpenPortsView {
    struct Entry: Hashable {
        let port: UInt16
        let proto: TransportProtocol
        let state: CellState
        let service: String?
        /// Product and version, when -sV learned them (already escaped).
        var version: String? = nil

        /// "22/tcp ssh OpenSSH 9.2p1"; a state other than open is named too.
        var text: String {
            var text = "\(port)/\(proto.rawValue)"
            if let service { text += " " + service }
            if let version, !version.isEmpty { text += " " + version }
            if state != CellState(.open) { text += " (\(state.name))" }
            return text
        }
    }

    static func title(_ state: AppState) -> String {
        guard let host = state.selectedHost else { return " Open ports " }
        let total = state.shownBoards.reduce(0) { sum, board in
            let counts = board.counts(of: host)
            return sum + PortFilter.none.listedStates.reduce(0) { $0 + counts[$1] }
        }
        return " Open ports · \(host) · \(total) "
    }

    /// The first `limit` entries in port order, and how many there are in all.
    static func entries(_ state: AppState, limit: Int) -> (entries: [Entry], total: Int) {
        guard let host = state.selectedHost else { return ([], 0) }
        let wanted = PortFilter.none.listedStates
        var entries: [Entry] = []
        var total = 0
        for board in state.shownBoards where board.plan.technique.scansPorts {
            let counts = board.counts(of: host)
            let here = wanted.reduce(0) { $0 + counts[$1] }
            total += here
            guard here > 0, entries.count < limit, let ports = board.ports(of: host) else { continue }
            let proto = board.plan.technique.transport
            // Open ports first: they are what a person looks for; open|filtered can be thousands.
            for pass in [[CellState(.open)], wanted.subtracting([CellState(.open)])] {
                for index in ports.positions(in: pass) where entries.count < limit {
                    let port = board.plan.ports[index]
                    let cell = ports.state(at: index)
                    entries.append(Entry(port: port, proto: proto, state: cell,
                                         service: state.serviceName(host, proto, port),
                                         version: state.versionText(host, proto, port, open: cell == CellState(.open))))
                }
            }
        }
        return (entries, total)
    }

    static func draw(_ state: AppState, _ pane: Rect, _ screen: inout some Screen) {
        guard pane.height > 0, pane.width > 2 else { return }
        let capacity = pane.height * max(1, pane.width / 12)
        let (entries, total) = entries(state, limit: capacity)
        guard !entries.isEmpty else {
            let text = state.selectedHost == nil ? "no host selected"
                : state.scan.isRunning ? "none found yet" : "no open ports"
            screen.put(text, x: pane.x + 1, y: pane.y, style: Style(.dim), width: pane.width - 1)
            return
        }
        let widest = entries.map(\.text.count).max() ?? 0
        let columnWidth = min(pane.width - 1, widest + 2)
        let columns = max(1, (pane.width - 1) / columnWidth)
        var shown = min(entries.count, columns * pane.height)
        let more = total - shown
        if more > 0 { shown = min(shown, columns * pane.height - 1) }
        // Column-major, like `ls`: ports read down, then across.
        let rows = max(1, min(pane.height, (shown + columns - 1) / columns))
        for (i, entry) in entries.prefix(shown).enumerated() {
            let x = pane.x + 1 + (i / rows) * columnWidth
            let y = pane.y + i % rows
            let role: Role = Glyphs.role(entry.state)
            let number = "\(entry.port)/\(entry.proto.rawValue)"
            let after = screen.put(number, x: x, y: y, style: Style(role, bold: true), width: columnWidth - 1)
            screen.put(String(entry.text.dropFirst(number.count)), x: after, y: y, width: x + columnWidth - 1 - after)
        }
        if total > shown {
            let text = "+\(total - shown) more: v lists all"
            let i = shown
            screen.put(text, x: pane.x + 1 + (i / rows) * columnWidth, y: pane.y + i % rows, style: Style(.dim),
                       width: pane.maxX - pane.x - 1 - (i / rows) * columnWidth)
        }
    }
}

/// The panel under the grid: the event log, newest at the bottom, scrolled back with the log
/// pane focused.
enum LogView {
    static func title(_ state: AppState) -> String {
        let back = state.view.logBack
        return " Log · \(state.log.count + state.log.dropped) events" + (back > 0 ? " · \(back) back (G newest)" : "") + " "
    }

    static func draw(_ state: AppState, _ pane: Rect, _ screen: inout some Screen) {
        guard pane.height > 0 else { return }
        let entries = state.log.entries
        guard !entries.isEmpty else {
            screen.put("nothing yet: discoveries, notices and changes show here", x: pane.x + 1, y: pane.y,
                       style: Style(.dim), width: pane.width - 1)
            return
        }
        let end = max(0, entries.count - state.view.logBack)
        let start = max(0, end - pane.height)
        for (row, entry) in entries[start..<end].enumerated() {
            let y = pane.y + row
            let x = screen.put(Format.clock(entry.at) + " ", x: pane.x + 1, y: y, style: Style(.dim), width: pane.width - 1)
            let role: Role = switch entry.kind {
            case .found: .open
            case .info: .normal
            case .warning: .warning
            case .error: .error
            case .change: .accent
            }
            screen.put(entry.text, x: x, y: y, style: Style(role, bold: entry.kind == .found), width: pane.maxX - x)
        }
    }
}
