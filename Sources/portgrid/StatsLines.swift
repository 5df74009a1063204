import PortgridCore
import Synchronization

/// `--stats-every`: a whole progress line on stderr at most once per interval, fed the scan's events
/// (headless, or the TUI's scans when stderr is not its screen). Safe to feed from any thread.
final class StatsLines: Sendable {
    private struct State {
        var technique: Technique
        var last = ContinuousClock.now
    }

    private let interval: Duration
    private let state: Mutex<State>

    init(every interval: Duration, technique: Technique) {
        self.interval = interval
        state = Mutex(State(technique: technique))
    }

    /// The line to print for `event` now, if one is due.
    func line(for event: ScanEvent, now: ContinuousClock.Instant = .now) -> String? {
        state.withLock { state -> String? in
            switch event {
            case .started(let plan):
                state.technique = plan.technique
                return nil
            case .progress(let progress) where now - state.last >= interval:
                state.last = now
                return "portgrid: " + ProgressLine.stats(progress, technique: state.technique) + "\n"
            default:
                return nil
            }
        }
    }
}
