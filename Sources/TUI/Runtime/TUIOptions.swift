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

    public init(request: ScanRequest, reportContext: @escaping @Sendable (Bool) -> ReportContext) {
        self.request = request
        self.reportContext = reportContext
    }
}
