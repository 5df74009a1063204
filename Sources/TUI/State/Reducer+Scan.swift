import PortgridCore

extension Reducer {
    /// Folds one scan event. Results and host news count whichever scan sent them (they are
    /// true findings); the rest only when they come from the scan now on screen.
    static func apply(_ event: ScanEvent, scan id: Int, to state: inout AppState) {
        switch event {
        case .host(let host):
            state.hosts.record(host)
            return
        case .results(let batch):
            guard let technique = batch.first?.technique else { return }
            if batch.allSatisfy({ $0.technique == technique }) {
                state.boards[technique]?.apply(batch)
            } else {
                for result in batch { state.boards[result.technique]?.record(result) }
            }
            for result in batch { state.hosts.portAnswered(result) }
            return
        default:
            break
        }
        guard id == state.scan.id else { return }
        switch event {
        case .started(let plan):
            let previous = state.boards[plan.technique]
            if previous?.plan.ports != plan.ports { state.view.zoom = [] }
            state.boards[plan.technique] = TechniqueBoard(plan: plan, carrying: previous)
            for (address, name) in plan.hostnames { state.hosts.name(address, name) }
            state.scan.plan = plan
            state.scan.phase = .running
        case .progress(let progress):
            state.scan.progress = progress
        case .notice(let notice):
            state.message = FooterMessage(level: notice.level, text: notice.message)
        case .finished(let summary):
            state.scan.phase = .finished(summary.outcome)
            state.scan.summary = summary
            state.scan.paused = false
            if summary.outcome == .failed, state.message?.level != .error {
                state.message = FooterMessage(level: .error, text: "scan failed: \(summary.error ?? "unknown error")")
            } else if summary.outcome == .completed, state.message == nil || state.message?.level == .info {
                let open = state.boards[state.currentTechnique]?.totals[CellState(.open)] ?? 0
                state.message = FooterMessage(
                    level: .info,
                    text: "\(state.currentTechnique.title) scan done in \(Format.duration(summary.elapsed)): \(open) open")
            }
        case .host, .results:
            break
        }
    }
}
