import PortgridCore

extension Reducer {
    /// Folds one scan event. Results and host news count whichever scan of the current target
    /// range sent them (they are true findings), but a technique's board takes only its own run's
    /// results; the rest counts only when it comes from the scan now on screen.
    static func apply(_ event: ScanEvent, scan id: Int, to state: inout AppState) {
        switch event {
        case .host(let host):
            guard id >= state.rangeEpoch else { return }
            state.hosts.record(host)
            return
        case .hosts(let hosts):
            guard id >= state.rangeEpoch else { return }
            for host in hosts { state.hosts.record(host) }
            return
        case .hostsDown(let down):
            guard id >= state.rangeEpoch else { return }
            for host in down.hosts { state.hosts.record(host) }
            return
        case .results(let batch):
            guard id >= state.rangeEpoch, let technique = batch.first?.technique else { return }
            if batch.allSatisfy({ $0.technique == technique }) {
                if state.boardRuns[technique] == id { record(batch, on: technique, &state) }
            } else {
                for result in batch where state.boardRuns[result.technique] == id {
                    record([result], on: result.technique, &state)
                }
            }
            for result in batch { state.hosts.portAnswered(result) }
            return
        default:
            break
        }
        guard id == state.scan.id else { return }
        switch event {
        case .started(let plan):
            if state.boards[plan.technique]?.plan.ports != plan.ports { state.view.zoom = [] }
            // Each run counts from zero: a rescan shows what this run finds, not the last one's totals.
            state.boards[plan.technique] = TechniqueBoard(plan: plan)
            state.boardRuns[plan.technique] = id
            for (address, name) in plan.hostnames { state.hosts.name(address, name) }
            state.scan.plan = plan
            state.scan.phase = .running
            let hosts = plan.hosts.count == 1 ? "1 host" : "\(plan.hosts.count) hosts"
            let what = plan.technique.scansPorts ? "\(hosts) x \(plan.ports.count) ports" : hosts
            state.log.add(.info, "\(plan.technique.title) scan started: \(what), T\(plan.timing.level)", at: state.now)
        case .progress(let progress):
            state.scan.progress = progress
        case .notice(let notice):
            state.message = FooterMessage(level: notice.level, text: notice.message)
            state.log.add(LogEntry.Kind(notice.level), notice.message, at: state.now)
        case .finished(let summary):
            state.scan.phase = .finished(summary.outcome)
            state.scan.summary = summary
            state.scan.paused = false
            state.finishedScanTime += summary.elapsed
            let line = doneLine(state, summary)
            state.log.add(summary.outcome == .failed ? .error : .info, line, at: state.now)
            if summary.outcome == .failed, state.message?.level != .error {
                state.message = FooterMessage(level: .error, text: line)
            } else if summary.outcome == .completed, state.message == nil || state.message?.level == .info {
                state.message = FooterMessage(level: .info, text: line)
            }
        case .trace(let line):
            // --packet-trace under the TUI: into the event log (the log panel, `L`), never onto the screen.
            state.log.add(.info, line, at: state.now)
        case .host, .hosts, .hostsDown, .results:
            break
        case .hostgroupDone:
            // The screen keeps every host: its scans set no default hostgroup, so a group ends
            // only with --max-hostgroup, and its hosts stay on the board.
            break
        }
    }

    /// Puts results on a technique's board and logs each newly open port, as nmap's
    /// "Discovered open port" lines do.
    static func record(_ batch: some Collection<PortResult>, on technique: Technique, _ state: inout AppState) {
        // In place: a board taken out and put back would share its host table with the state's copy
        // meanwhile, and its first change would copy all of it (a /16's, every batch).
        guard state.boards[technique] != nil else { return }
        let open = PortState.open
        for result in batch {
            let old = state.boards[technique]!.record(result)
            if result.state == open && old != CellState(.open) {
                state.log.add(.found, "discovered open port \(result.port)/\(result.proto.rawValue) on \(result.host)",
                              at: state.now)
            }
        }
    }

    /// What a scan ended with, in the states its technique produces (a ping sweep counts hosts).
    static func doneLine(_ state: AppState, _ summary: ScanSummary) -> String {
        let technique = state.currentTechnique
        switch summary.outcome {
        case .failed:
            return "scan failed: \(summary.error ?? "unknown error")"
        case .completed, .cancelled:
            let verb = summary.outcome == .completed ? "done in" : "stopped after"
            let head = "\(technique.title) scan \(verb) \(Format.duration(summary.elapsed)): "
            guard technique.scansPorts else {
                let total = state.scan.plan?.hosts.count ?? state.hosts.upCount
                return head + "\(state.hosts.upCount) of \(total) hosts up"
            }
            let totals = state.boards[technique]?.totals ?? StateCounts()
            var parts = technique.producedStates.map { "\(totals[$0]) \($0.name)" }
            if totals[.pending] > 0 { parts.append("\(totals[.pending]) pending") }
            return head + parts.joined(separator: ", ")
        }
    }
}
