import PortgridCore

/// Enter on a host: everything known about it, in a box over the panes. Every port is accounted
/// for: each port in a state other than the host's commonest gets a row (state, service, reason,
/// RTT); the commonest state (closed, on most hosts) is one line with its count and reason, as
/// nmap's "Not shown: 1014 closed tcp ports (conn-refused)".
enum HostDetailView {
    struct Row: Hashable {
        var text: String
        var role: Role
        var bold = false
        /// The port a row shows (Enter opens its detail); nil for headings and summaries.
        var port: PortRef? = nil
    }

    struct PortRef: Hashable {
        var proto: TransportProtocol
        var port: UInt16
        var technique: Technique
    }

    static func box(_ layout: Layout) -> Rect {
        let width = min(layout.size.cols - 2, 78)
        let height = layout.size.rows - 2
        return Rect(x: (layout.size.cols - width) / 2, y: 1, width: width, height: height)
    }

    /// Rows of content the box shows at once (between its borders and the key line).
    static func visibleRows(_ layout: Layout) -> Int { max(1, box(layout).height - 3) }

    static func rows(_ state: AppState, _ host: IPAddress) -> [Row] {
        var rows: [Row] = []
        let info = state.hosts[host]
        var head = "\(host)"
        if let name = info?.hostname { head += " (\(name))" }
        head += ": \(info?.status.rawValue ?? "unknown")"
        if let reason = info?.reason { head += ", \(reason)" }
        head += ", rtt " + (info?.rtt.map(Format.rtt) ?? "unknown")
        rows.append(Row(text: head, role: .title, bold: true))
        for board in state.shownBoards where board.plan.technique.scansPorts {
            let technique = board.plan.technique
            let counts = board.counts(of: host)
            rows.append(Row(text: "", role: .normal))
            rows.append(Row(text: "\(technique.title) \(technique.flag): " + Detail.summary(counts), role: .accent, bold: true))
            // The commonest decided state, and pending, are one line each; everything else a row.
            let common = CellState.all.dropFirst().max { counts[$0] < counts[$1] } ?? .pending
            rows.append(Row(text: " " + Format.padRight("PORT", 12) + Format.padRight("STATE", 16)
                            + Format.padRight("SERVICE", 14) + Format.padRight("REASON", 16) + "RTT",
                            role: .dim, bold: true))
            let proto = technique.transport
            var commonReason: Reason?
            if let ports = board.ports(of: host) {
                let shown = Set(CellState.all.dropFirst()).subtracting([common])
                for index in ports.positions(in: shown) {
                    let cell = ports.state(at: index)
                    let port = board.plan.ports[index]
                    let service = state.serviceName(host, proto, port) ?? "unknown"
                    let text = " " + Format.padRight("\(port)/\(proto.rawValue)", 12) + Format.padRight(cell.name, 16)
                        + Format.padRight(service, 14) + Format.padRight(ports.reason(at: index)?.rawValue ?? "", 16)
                        + (ports.rtt(at: index).map(Format.rtt) ?? "")
                    let ref = PortRef(proto: proto, port: port, technique: technique)
                    rows.append(Row(text: text, role: Glyphs.role(cell), bold: cell == CellState(.open), port: ref))
                    // What -sV learned gets a line of its own: the columns leave no room for it at 80.
                    if let version = state.versionText(host, proto, port, open: cell == CellState(.open)), !version.isEmpty {
                        rows.append(Row(text: "             " + version, role: .normal, port: ref))
                    }
                }
                commonReason = (0..<ports.count).lazy.first { ports.state(at: $0) == common }.flatMap { ports.reason(at: $0) }
            }
            if counts[common] > 0 {
                let why = commonReason.map { " (\($0))" } ?? ""
                let all = counts[common] == board.plan.ports.count ? "all " : counts[.pending] > 0 ? "" : "the other "
                rows.append(Row(text: " \(all)\(counts[common]) \(proto.rawValue) ports: \(common.name)\(why)",
                                role: Glyphs.role(common)))
            }
            if counts[.pending] > 0 {
                rows.append(Row(text: " \(counts[.pending]) \(proto.rawValue) ports still pending", role: .pending))
            }
        }
        if state.shownBoards.allSatisfy({ !$0.plan.technique.scansPorts }) {
            rows.append(Row(text: "no ports scanned: press t, s or u to scan them", role: .dim))
        }
        return rows
    }

    /// The distinct ports the rows show, in order: what the selection moves over.
    static func ports(_ rows: [Row]) -> [PortRef] {
        var ports: [PortRef] = []
        for row in rows { if let port = row.port, ports.last != port { ports.append(port) } }
        return ports
    }

    static func draw(_ state: AppState, _ detail: HostDetailState, _ layout: Layout, _ g: Glyphs,
                     _ screen: inout some Screen) {
        let box = box(layout)
        Frame.draw(box, title: " Host \(detail.host) ", g, &screen)
        let rows = rows(state, detail.host)
        let ports = ports(rows)
        let selected = ports.isEmpty ? nil : ports[min(detail.selected, ports.count - 1)]
        let visible = visibleRows(layout)
        let top = max(0, min(detail.top, rows.count - visible))
        for (i, row) in rows[min(top, rows.count)..<min(rows.count, top + visible)].enumerated() {
            let y = box.y + 1 + i
            if row.port != nil && row.port == selected {
                let style = Style(.focus, bold: true, reverse: true)
                screen.fill(Rect(x: box.x + 1, y: y, width: box.width - 2, height: 1), style: style)
                screen.put(row.text, x: box.x + 2, y: y, style: style, width: box.width - 4)
            } else {
                screen.put(row.text, x: box.x + 2, y: y, style: Style(row.role, bold: row.bold), width: box.width - 4)
            }
        }
        var keys = selected == nil ? "Esc closes" : "Enter port detail · Esc closes"
        if rows.count > visible { keys = "↑↓ PgUp PgDn scroll · \(top + 1)-\(min(rows.count, top + visible))/\(rows.count) · " + keys }
        screen.put(" \(keys) ", x: box.x + 2, y: box.maxY - 1, style: Style(.dim), width: box.width - 4)
    }
}

/// A bordered box, cleared, with a title set into its top border.
enum Frame {
    static func draw(_ box: Rect, title: String, _ g: Glyphs, _ screen: inout some Screen) {
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
        screen.put(title, x: box.x + 2, y: box.y, style: Style(.accent, bold: true, reverse: true), width: box.width - 4)
    }
}
