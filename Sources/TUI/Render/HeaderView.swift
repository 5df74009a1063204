import PortgridCore

/// Three lines of meters, htop style: what is scanned and how; where the scan is; what it found.
enum HeaderView {
    static func draw(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let width = layout.size.cols
        drawWhat(state, width, g, &screen)
        drawProgress(state, width, g, &screen)
        drawCounts(state, width, &screen)
    }

    static func drawWhat(_ state: AppState, _ width: Int, _ g: Glyphs, _ screen: inout some Screen) {
        let request = state.request
        let technique = state.currentTechnique
        let ports = technique.scansPorts ? request.portSet.description : "no ports"
        let proto = technique.transport.rawValue
        var x = screen.put("portgrid", x: 0, y: 0, style: Style(.accent, bold: true))
        x = screen.put("  ", x: x, y: 0)
        x = screen.put(Format.cut(request.targets.description, max: max(12, width / 4), ellipsis: g.ellipsis),
                       x: x, y: 0, style: Style(bold: true))
        x = screen.put("  \(proto) ", x: x, y: 0, style: Style(.dim))
        x = screen.put(Format.cut(ports, max: max(10, width / 5), ellipsis: g.ellipsis), x: x, y: 0, style: Style(bold: true))
        x = screen.put("  ", x: x, y: 0)
        x = screen.put("\(technique.title) \(technique.flag)", x: x, y: 0, style: Style(.accent, bold: true))
        if technique != state.scan.requested {
            x = screen.put(" (asked \(state.scan.requested.flag))", x: x, y: 0, style: Style(.warning))
        }
        let timing = request.timing
        x = screen.put("  T\(timing.level) \(timing.name)", x: x, y: 0, style: Style(bold: true))
        // Flags typed over the template (T's line, or the command line) change its pace: say so,
        // so "T2 polite" never names a scan that no longer runs politely. The cap shows on row 1.
        var flags = TimingFlags(describing: timing)
        flags.maxRate = nil
        if flags.line != "-T\(timing.level)" { x = screen.put(", tuned", x: x, y: 0, style: Style(.warning)) }
    }

    /// Where -sV stands, after the counts: ports known, being probed, waiting for V.
    static func drawDetection(_ detection: DetectionState, x: Int, _ screen: inout some Screen) {
        let x = screen.put("   -sV", x: x, y: 2, style: Style(.accent, bold: true))
        var status = detection.enabled ? " \(detection.learned.count) known" : " off"
        if !detection.probing.isEmpty { status += ", \(detection.probing.count) probing" }
        if !detection.waiting.isEmpty { status += ", \(detection.waiting.count) waiting" }
        screen.put(status, x: x, y: 2, style: Style(detection.enabled ? .normal : .warning))
    }

    static func drawProgress(_ state: AppState, _ width: Int, _ g: Glyphs, _ screen: inout some Screen) {
        if let viewing = state.viewing { return drawViewing(state, viewing, width, g, &screen) }
        let scan = state.scan
        let (label, role): (String, Role) = switch scan.phase {
        case .starting: ("starting", .dim)
        case .running: scan.paused ? ("paused", .warning) : ("running", .accent)
        case .finished(.completed): ("done", .open)
        case .finished(.cancelled): ("stopped", .warning)
        case .finished(.failed): ("failed", .error)
        }
        var x = screen.put(Format.padRight(label, 8), x: 0, y: 1, style: Style(role, bold: true))
        let progress = scan.progress
        let elapsed = scan.summary?.elapsed ?? progress?.elapsed ?? .zero
        x = screen.put(Format.clock(elapsed), x: x, y: 1, style: Style(bold: true))
        let eta = etaText(scan)
        x = screen.put("  ETA ", x: x, y: 1, style: Style(.dim))
        x = screen.put(eta, x: x, y: 1)

        // Once done, the average says more than the last interval's trickle of retries.
        let average = scan.summary.flatMap { summary in
            Format.seconds(summary.elapsed) > 0 ? Double(summary.probesSent) / Format.seconds(summary.elapsed) : nil
        }
        let rate = (average ?? progress?.rate).map(Format.rate) ?? "0"
        let cap = state.request.timing.maxRate.map { "max \(Format.rate($0))/s" } ?? "no cap"
        var tail = "  \(rate) pkt/s · \(cap)"
        let fraction: Double = if case .finished(.completed) = scan.phase { 1 } else { progress?.fraction ?? 0 }
        let percent = Format.padLeft("\(Int((fraction * 100).rounded(.down)))%", 5)
        // A narrow screen keeps a bar of at least 10 by shortening the tail, never by losing the bar.
        if width - x - 3 - percent.count - tail.count - 1 < 10 { tail = " \(rate)/s" }
        let barWidth = width - x - 3 - percent.count - tail.count - 1
        drawBar(fraction, width: barWidth, percent: percent, tail: tail, x: x, g, &screen)
    }

    /// The second line's end: two spaces, a bar `width` wide (left out under 10, so a narrow screen
    /// keeps the figures), the percentage, then the dim tail.
    static func drawBar(_ fraction: Double, width: Int, percent: String, tail: String, x: Int, _ g: Glyphs,
                        _ screen: inout some Screen) {
        var x = screen.put("  ", x: x, y: 1)
        if width >= 10 {
            let done = Int((Double(width) * fraction).rounded(.down))
            x = screen.put(String(repeating: g.barDone, count: done), x: x, y: 1, style: Style(.barDone))
            x = screen.put(String(repeating: g.barTodo, count: width - done), x: x, y: 1, style: Style(.barTodo))
        }
        x = screen.put(percent, x: x, y: 1, style: Style(bold: true))
        screen.put(tail, x: x, y: 1, style: Style(.dim))
    }

    /// A read-only session's second line: which reports are in, which shards are missing, and how
    /// much of the whole scan they cover.
    static func drawViewing(_ state: AppState, _ viewing: ViewingState, _ width: Int, _ g: Glyphs,
                            _ screen: inout some Screen) {
        let complete = state.scan.phase == .finished(.completed)
        var x = screen.put(Format.padRight(complete ? "complete" : "viewing", 9), x: 0, y: 1,
                           style: Style(complete ? .open : .accent, bold: true))
        x = screen.put("\(viewing.present)/\(viewing.named) reports", x: x, y: 1, style: Style(bold: true))
        if !viewing.missingShards.isEmpty {
            let missing = viewing.missingShards.map { "\($0)/\(viewing.shardCount)" }.joined(separator: " ")
            x = screen.put("  missing " + Format.cut(missing, max: max(8, width / 5), ellipsis: g.ellipsis), x: x, y: 1,
                           style: Style(.warning))
        }
        if viewing.interrupted { x = screen.put("  interrupted", x: x, y: 1, style: Style(.warning)) }
        let tail = viewing.watching ? "  watching" : "  read once"
        let fraction = state.scan.progress?.fraction ?? 0
        let percent = Format.padLeft("\(Int((fraction * 100).rounded(.down)))%", 5)
        let barWidth = width - x - 2 - percent.count - tail.count - 1
        drawBar(fraction, width: barWidth, percent: percent, tail: tail, x: x, g, &screen)
    }

    static func drawCounts(_ state: AppState, _ width: Int, _ screen: inout some Screen) {
        let targets = state.scan.plan?.hosts.count ?? Int(clamping: state.request.targets.count)
        let narrow = width < 80
        var x = screen.put(narrow ? "up " : "hosts up ", x: 0, y: 2, style: Style(.dim))
        x = screen.put("\(state.hosts.upCount)", x: x, y: 2, style: Style(.open, bold: true))
        x = screen.put("/\(max(targets, state.hosts.upCount))", x: x, y: 2, style: Style(.dim))
        let totals = state.shownBoards.reduce(StateCounts()) { $0 + $1.totals }
        // The states the technique produces, then pending; a rarer state only once it occurs.
        let produced = producedStates(of: state.shownTechniques)
        let extra = CellState.all.dropFirst().reversed().filter { !produced.contains($0) && totals[$0] > 0 }
        let cells = produced + extra + (produced.isEmpty && extra.isEmpty ? [] : [CellState.pending])
        let shown = cells.map { ($0.name, $0, Glyphs.role($0)) }
        let gap = narrow ? "  " : "   "
        for (name, state, role) in shown {
            let text = "\(gap)\(name) \(totals[state])"
            guard x + text.count <= width else { break }
            x = screen.put("\(gap)\(name) ", x: x, y: 2, style: Style(.dim))
            x = screen.put("\(totals[state])", x: x, y: 2, style: Style(role, bold: role == .open))
        }
        if let detection = state.detection { drawDetection(detection, x: x, &screen) }
    }

    /// Time left from the measured rate and the work left; "--:--" when there is no rate to go on
    /// (starting, paused, stalled at 0 pkt/s) or nothing is running.
    static func etaText(_ scan: ScanStatus) -> String {
        guard case .running = scan.phase, !scan.paused, let progress = scan.progress, progress.rate > 0 else {
            return "--:--"
        }
        let left = max(0, progress.total - progress.completed)
        return Format.clock(.seconds(Double(left) / progress.rate))
    }
}
