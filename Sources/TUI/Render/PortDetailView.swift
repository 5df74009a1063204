import PortgridCore

/// Enter on a port: what the scan found there, what -sV learned (service, product, version, CPE),
/// the TLS certificate when the port spoke TLS, and the first bytes the service sent, escaped byte
/// for byte so no control sequence of a hostile service reaches the terminal.
enum PortDetailView {
    struct Row: Hashable {
        var text: String
        var role: Role = .normal
        var bold = false
    }

    static func box(_ layout: Layout) -> Rect {
        let width = min(layout.size.cols - 2, 90)
        return Rect(x: (layout.size.cols - width) / 2, y: 1, width: width, height: layout.size.rows - 2)
    }

    static func visibleRows(_ layout: Layout) -> Int { max(1, box(layout).height - 3) }

    /// Columns for a row's text inside the box.
    static func textWidth(_ layout: Layout) -> Int { max(1, box(layout).width - 4) }

    static func rows(_ state: AppState, _ detail: PortDetailState, width: Int) -> [Row] {
        let key = detail.key
        var rows: [Row] = []
        var head = "\(key.host) port \(key.port)/\(key.proto.rawValue)"
        if let board = state.boards[detail.technique], let index = board.plan.ports.index(of: key.port),
           let ports = board.ports(of: key.host) {
            let cell = ports.state(at: index)
            head += ": \(cell.name)"
            if let reason = ports.reason(at: index) { head += " (\(reason))" }
            if let rtt = ports.rtt(at: index) { head += ", rtt \(Format.rtt(rtt))" }
        }
        head += ", \(detail.technique.title) \(detail.technique.flag)"
        rows.append(Row(text: head, role: .title, bold: true))
        rows.append(Row(text: ""))
        func field(_ name: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            rows.append(Row(text: Format.padRight(name, 10) + SafeText.printable(value)))
        }
        switch state.detection?.progress(key) {
        case nil:
            let table = state.services.name(port: key.port, proto: key.proto).map { "\($0) (from the port table)" } ?? "unknown"
            field("Service", table)
            rows.append(Row(text: "No -sV in this run: start portgrid with -sV to ask the port what it is.", role: .dim))
        case .probing:
            rows.append(Row(text: "Service detection is probing this port…", role: .accent))
        case .waiting:
            rows.append(Row(text: "Not probed: service detection is off (V turns it on).", role: .warning))
        case .notProbed:
            rows.append(Row(text: "Not probed: -sV asks open ports only.", role: .dim))
        case .learned(let identity):
            let how = identity.method == .probed ? "probed" : "from the port table"
            field("Service", "\(identity.displayName) (\(how), confidence \(identity.confidence))")
            field("Product", identity.product)
            field("Version", identity.version)
            field("Info", identity.extraInfo)
            field("Hostname", identity.hostname)
            field("OS", identity.osType)
            field("Device", identity.deviceType)
            for cpe in identity.cpes { field("CPE", cpe) }
            if let tls = identity.tls {
                rows.append(Row(text: ""))
                rows.append(Row(text: "TLS certificate", role: .accent, bold: true))
                field("Protocol", tls.protocolVersion)
                field("Subject", tls.subject)
                field("Issuer", tls.issuer)
                field("Names", tls.subjectAltNames.joined(separator: ", "))
                field("Expires", tls.notAfter)
            }
            rows.append(Row(text: ""))
            if identity.banner.isEmpty {
                rows.append(Row(text: "The port sent no bytes.", role: .dim))
            } else {
                rows.append(Row(text: "First \(identity.banner.count) bytes the port sent (escaped)", role: .accent, bold: true))
                for line in SafeText.bannerLines(identity.banner, width: max(1, width - 2)) {
                    rows.append(Row(text: "  " + line))
                }
            }
        }
        return rows
    }

    static func draw(_ state: AppState, _ detail: PortDetailState, _ layout: Layout, _ g: Glyphs,
                     _ screen: inout some Screen) {
        let box = box(layout)
        Frame.draw(box, title: " Port \(detail.key.port)/\(detail.key.proto.rawValue) on \(detail.key.host) ", g, &screen)
        let rows = rows(state, detail, width: textWidth(layout))
        let visible = visibleRows(layout)
        let top = max(0, min(detail.top, rows.count - visible))
        for (i, row) in rows[min(top, rows.count)..<min(rows.count, top + visible)].enumerated() {
            screen.put(row.text, x: box.x + 2, y: box.y + 1 + i, style: Style(row.role, bold: row.bold), width: box.width - 4)
        }
        var keys = "Esc closes"
        if rows.count > visible { keys = "↑↓ PgUp PgDn scroll · \(top + 1)-\(min(rows.count, top + visible))/\(rows.count) · " + keys }
        screen.put(" \(keys) ", x: box.x + 2, y: box.maxY - 1, style: Style(.dim), width: box.width - 4)
    }
}
