import PortgridCore
import Report

/// What the CLI hands the TUI.
public struct TUIOptions: Sendable {
    /// What to scan first.
    public var request: ScanRequest
    /// The report's header for `e` export; `interrupted` says whether the scan is still running.
    public var reportContext: @Sendable (_ interrupted: Bool) -> ReportContext
    /// Sees every scan event as it arrives (the CLI's `--stats-every` lines); nil for none.
    public var observeScan: (@Sendable (ScanEvent) -> Void)?
    /// -sV: the prober open ports are handed to as the scan finds them; nil without -sV.
    public var detection: (any LiveServiceDetection)?
    /// Set for `portgrid view`: stored reports to show read-only instead of a scan.
    public var stored: StoredSource?

    public init(request: ScanRequest, reportContext: @escaping @Sendable (Bool) -> ReportContext) {
        self.request = request
        self.reportContext = reportContext
    }
}

/// The readings of a read-only session: one per time the files changed (one in all without --watch).
public struct StoredSource: Sendable {
    public var readings: AsyncStream<StoredReading>
    /// The files are re-read as they change (the header says so).
    public var watching: Bool

    public init(readings: AsyncStream<StoredReading>, watching: Bool) {
        self.readings = readings
        self.watching = watching
    }
}
