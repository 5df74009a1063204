import PortgridCore

/// The front door of the writers: results in, text out. Every format is a pure function of the
/// store and the context, so the same scan always gives the same bytes.
public enum Report {
    public static func render(_ format: ReportFormat, _ store: ResultStore, context: ReportContext) -> String {
        let report = ScanReport(store, interrupted: context.interrupted)
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
