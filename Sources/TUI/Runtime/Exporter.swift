import PortgridCore
import Report

/// `e` in the TUI: writes everything found so far, in the format the file name's extension
/// names, through the same writers the exit path uses.
enum Exporter {
    static func export(_ store: ResultStore, to path: String, context: ReportContext) -> FooterMessage {
        guard let format = ReportFormat.inferred(fromPath: path) else {
            return FooterMessage(level: .error,
                                 text: "export: cannot tell the format of '\(path)': use .xml .json .csv .md .gnmap or .nmap")
        }
        do {
            try ReportFile.write(format, ScanReport(store, context: context), context: context, to: path)
            return FooterMessage(level: .info, text: "exported \(store.resultCount) results to \(path)")
        } catch {
            return FooterMessage(level: .error, text: "export to \(path) failed: \(error)")
        }
    }
}
