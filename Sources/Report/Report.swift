import PortgridCore

/// The front door of the writers: results in, text out. Every format is a pure function of the
/// store and the context, so the same scan always gives the same bytes.
public enum Report {
    /// `--open` comes with the request (the TUI's exports keep to it as the final reports do).
    public static func render(_ format: ReportFormat, _ store: ResultStore, context: ReportContext) -> String {
        render(format, ScanReport(store, context: context), context: context)
    }

    /// One format's whole text, for a caller that wants it as a string (the view, tests). Files
    /// are written by `write(_:context:to:)`, which never holds a whole text.
    public static func render(_ format: ReportFormat, _ report: ScanReport, context: ReportContext) -> String {
        var bytes: [UInt8] = []
        let sink = ReportSink { bytes.append(contentsOf: $0) }
        write(report, context: context, to: [(format, sink)])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes several formats of one whole report into their sinks host by host: a stream of
    /// one part (`ReportStream`).
    static func write(_ report: ScanReport, context: ReportContext, to sinks: [(format: ReportFormat, sink: ReportSink)]) {
        var stream = ReportStream(sinks, plans: report.plans, context: context)
        stream.write(report, context: context)
        stream.finish(context: context, interrupted: report.interrupted)
    }
}
