import PortgridCore
import TUI

/// How a run ended, TUI or headless: what the reports need and what the exit status is made of.
struct RunOutcome {
    /// Every result found (all techniques, in the TUI).
    var store: ResultStore
    /// The last scan did not complete: every format says so.
    var interrupted: Bool
    /// The termination signal that ended the run (Ctrl-C as a key counts as SIGINT).
    var signal: Int32?
    /// A headless scan that failed: its one-line reason. (In the TUI a failure was shown in the
    /// footer and other scans may have run after it.)
    var failure: String?
    /// Time spent scanning, for the reports' "scanned in"; nil when no scan ran.
    var scanSeconds: Double?
    /// What the person changed in the TUI after the start command.
    var changes: [String] = []
    /// -sV was still on at the end (the TUI's V can turn it off; headless it always is).
    var detectionOn = true
    /// The run was a TUI session.
    var fromTUI = false

    init(store: ResultStore, interrupted: Bool, signal: Int32?, failure: String?, scanSeconds: Double?,
         changes: [String] = []) {
        self.store = store
        self.interrupted = interrupted
        self.signal = signal
        self.failure = failure
        self.scanSeconds = scanSeconds
        self.changes = changes
    }

    init(_ tui: TUIOutcome) {
        // A signal after the last scan finished ends the session, not the scan: the report is whole.
        self.init(store: tui.store, interrupted: tui.interrupted, signal: tui.signal,
                  failure: nil, scanSeconds: tui.scanElapsed.map { $0 / .seconds(1) }, changes: tui.changes)
        detectionOn = tui.detectionOn
        fromTUI = true
    }

    /// A failed scan that found nothing writes no report: an empty one would replace a good file.
    var hasNothingToReport: Bool { failure != nil && store.isEmpty }

    /// The exit status, decided in this one place (the README's table): a signal gives 128 + its
    /// number (the results are still written), a failed scan or a report that could not be written
    /// gives 1, else 0.
    func exitStatus(writeFailed: Bool) -> Int32 {
        if let signal { return 128 + signal }
        if failure != nil || writeFailed { return 1 }
        return 0
    }
}
