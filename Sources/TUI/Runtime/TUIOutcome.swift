import PortgridCore

/// What a TUI session hands back to the command when it ends: everything the report and the exit
/// status need, so the command decides both in one place.
public struct TUIOutcome: Sendable {
    /// Every result found, all techniques.
    public var store: ResultStore
    /// The last scan was still running when the session ended.
    public var interrupted: Bool
    /// The signal that ended the session (SIGINT for Ctrl-C, SIGTERM, SIGHUP), nil for a quit key or a
    /// closed terminal; the command exits 128 + signal, as a shell reports it.
    public var signal: Int32?
    /// Time spent scanning (summed over the session's scans), not the time the screen stayed open;
    /// nil when no scan ran.
    public var scanElapsed: Duration?
    /// What the person changed in the TUI after the start command (technique, range, timing), one
    /// human sentence each, oldest first; the report lists them beside the command line.
    public var changes: [String]
    /// -sV was on when the session ended (V can turn it off): the command probes the open ports the
    /// session did not get to; when off, the report keeps what was learned.
    public var detectionOn: Bool

    public init(store: ResultStore, interrupted: Bool, signal: Int32? = nil, scanElapsed: Duration? = nil,
                changes: [String] = [], detectionOn: Bool = true) {
        self.detectionOn = detectionOn
        self.store = store
        self.interrupted = interrupted
        self.signal = signal
        self.scanElapsed = scanElapsed
        self.changes = changes
    }
}
