import PortgridCore

/// The front door of the writers: results in, text out. Every format is a pure function of the
/// store and the context, so the same scan always gives the same bytes.
public enum Report {
    /// `--open` comes with the request (the TUI's exports keep to it as the final reports do).
    public static func render(_ format: ReportFormat, _ store: ResultStore, context: ReportContext) -> String {
        render(format, ScanReport(store, interrupted: context.interrupted, folding: context.folding,
                                  openOnly: context.request?.openOnly ?? false),
               context: context)
    }

    /// For writing several formats of one store: build the `ScanReport` once (merging and folding
    /// a -p- scan of several hosts is the expensive part) and render each format from it.
    public static func render(_ format: ReportFormat, _ report: ScanReport, context: ReportContext) -> String {
        switch format {
        case .normal: return NormalReport.render(report, context: context)
        case .xml: return XMLReport.render(report, context: context)
        case .grepable: return GrepableReport.render(report, context: context)
        case .json: return JSONReport.render(report, context: context)
        case .csv: return CSVReport.render(report, context: context)
        case .markdown: return MarkdownReport.render(report, context: context)
        }
    }
}
