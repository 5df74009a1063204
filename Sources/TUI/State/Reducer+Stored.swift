import PortgridCore
import Report

extension Reducer {
    /// A new reading of the stored reports replaces what is on screen: it is the whole truth about
    /// the files now, as a new target range is for a scan. The results go on the same boards and
    /// host list a scan fills; the person's selection, zoom and filter stay.
    static func read(_ reading: StoredReading, _ state: inout AppState) {
        guard var viewing = state.viewing else { return }
        viewing.readings += 1
        viewing.named = reading.named
        viewing.present = reading.present
        let id = state.scan.id + 1
        state.rangeEpoch = id
        state.hosts = HostDirectory()
        state.boards = [:]
        state.boardRuns = [:]
        var open = 0
        if let merged = reading.merged {
            state.request = merged.request
            state.scan = ScanStatus(id: id, requested: merged.request.technique)
            let store = merged.store
            for plan in store.plans.values.sorted(by: { $0.technique < $1.technique }) {
                state.boards[plan.technique] = TechniqueBoard(plan: plan)
                state.boardRuns[plan.technique] = id
                for (address, name) in plan.hostnames { state.hosts.name(address, name) }
            }
            state.scan.plan = store.plans[merged.request.technique] ?? store.plans.values.first
            // What -sV learned shows beside the ports as in a live scan (nothing is probed here).
            state.detection = merged.detected.map { DetectionState(learned: $0) }
            for host in store.sortedHosts { state.hosts.record(host) }
            store.forEachResult { result in
                state.boards[result.technique]?.record(result)
                state.hosts.portAnswered(result)
                if result.state == .open { open += 1 }
            }
            let total = state.scan.plan?.totalWork ?? 0
            let decided = state.scan.plan.flatMap { state.boards[$0.technique] }.map { total - $0.totals[.pending] } ?? 0
            state.scan.progress = ScanProgress(completed: decided, total: total, probesSent: 0, rate: 0, elapsed: .zero)
            let complete = merged.missingShards.isEmpty && !merged.interrupted && reading.present == reading.named
            state.scan.phase = complete ? .finished(.completed) : .running
            viewing.missingShards = merged.missingShards
            viewing.shardCount = merged.shardCount
            viewing.interrupted = merged.interrupted
        } else {
            state.scan = ScanStatus(id: id, requested: state.request.technique)
        }
        let gained = open - viewing.openPorts
        viewing.openPorts = open
        state.viewing = viewing

        var line = "read \(reading.present) of \(reading.named) reports: \(state.hosts.upCount) hosts up, \(open) open ports"
        if viewing.readings > 1 && gained != 0 { line += " (\(gained > 0 ? "+" : "")\(gained))" }
        if !viewing.missingShards.isEmpty {
            line += "; shard\(viewing.missingShards.count == 1 ? "" : "s") "
                + viewing.missingShards.map { "\($0)/\(viewing.shardCount)" }.joined(separator: ", ") + " missing"
        }
        state.log.add(.info, line, at: state.now)
        if let problem = reading.problems.first {
            say(.warning, problem, &state)
            for other in reading.problems { state.log.add(.warning, other, at: state.now) }
        } else if state.message == nil || state.message?.level == .info {
            say(.info, line, &state)
        }
    }

    /// The one line a refused key gets in a read-only session.
    static func refusal(_ command: Command, label: String) -> String {
        let why = switch command {
        case .technique, .rescan: "would start a scan"
        case .editTargets, .editPorts: "would change what is scanned"
        case .toggleDetection: "would probe ports"
        default: "would change a running scan"
        }
        return "read-only view of stored reports: \(label) \(why) (q quits)"
    }
}
