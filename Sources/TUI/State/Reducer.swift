import PortgridCore

/// The app's only state transition: pure, so every key and every scan event is tested without a
/// terminal or a network. Returns the effects the runtime must carry out.
enum Reducer {
    /// The first scan, started by the runtime before any key is read.
    /// A read-only session starts nothing: its readings arrive as actions.
    static func begin(_ state: inout AppState) -> [Effect] {
        state.viewing == nil ? restartScan(&state) : []
    }

    static func reduce(_ state: inout AppState, _ action: Action) -> [Effect] {
        let effects: [Effect]
        switch action {
        case .key(let key):
            effects = handleKey(key, &state)
        case .mouse(let mouse):
            effects = handleMouse(mouse, &state)
        case .resize(let size):
            state.size = size
            effects = []
        case .scan(let id, let event):
            apply(event, scan: id, to: &state)
            effects = detectOpen(event, scan: id, &state)
        case .detected(let key, let identity):
            learn(key, identity, &state)
            effects = []
        case .stored(let reading):
            read(reading, &state)
            effects = []
        case .terminate:
            effects = quit(&state)
        case .exportFinished(let message):
            state.message = message
            effects = []
        }
        normalize(&state)
        return effects
    }

    static func quit(_ state: inout AppState) -> [Effect] {
        guard !state.quitting else { return [] }
        state.quitting = true
        return [.quit]
    }

    /// Cancels the running scan (if any) and starts the request as it is now.
    static func restartScan(_ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        if state.scan.isRunning && state.scan.id > 0 { effects.append(.cancelScan(id: state.scan.id)) }
        // The time the replaced scan ran counts as scanning time, finished or not.
        if state.scan.summary == nil, let elapsed = state.scan.progress?.elapsed { state.finishedScanTime += elapsed }
        let id = state.scan.id + 1
        state.scan = ScanStatus(id: id, requested: state.request.technique)
        state.scansRun += 1
        effects.append(.startScan(id: id, state.request))
        return effects
    }

    /// New targets: one scan, one truth. The host list and every board start empty, so hosts
    /// outside the new range leave the screen and the counts; the runtime drops them from the
    /// results the report is made of.
    static func changeRange(from old: String, _ state: inout AppState) -> [Effect] {
        change("targets \(old) -> \(state.request.targets.description)", &state)
        state.hosts = HostDirectory()
        state.boards = [:]
        state.boardRuns = [:]
        state.view.selectedHost = nil
        state.view.hostTop = 0
        state.view.zoom = []
        state.hostDetail = nil
        let effects = restartScan(&state)
        state.rangeEpoch = state.scan.id
        return effects
    }

    /// Keeps cursor, zoom and scroll positions inside what exists after any change.
    static func normalize(_ state: inout AppState) {
        let count = GridSource(boards: state.shownBoards, host: nil).ports.count
        if let zoom = state.view.zoom.last, zoom.upperBound > count { state.view.zoom = [] }
        let domain = state.view.zoom.last ?? 0..<count
        if domain.isEmpty {
            state.view.cursor = 0
        } else {
            state.view.cursor = min(max(state.view.cursor, domain.lowerBound), domain.upperBound - 1)
        }
        state.view.listCursor = max(0, state.view.listCursor)
        state.view.hostTop = max(0, state.view.hostTop)
    }
}
