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

    /// Writes several formats of one report into their sinks host by host: each host is made
    /// once per order its formats list hosts in (once in all when the orders agree) and rendered
    /// once per format; every sink is flushed at the end.
    static func write(_ report: ScanReport, context: ReportContext, to sinks: [(format: ReportFormat, sink: ReportSink)]) {
        var writers = sinks.map { writer($0.format, report, context: context) }
        for index in writers.indices { writers[index].header(sinks[index].sink) }
        let passes: [[HostOrder]] = report.nmapOrderIsAddressOrder ? [[.nmap, .address]] : [[.nmap], [.address]]
        for pass in passes {
            let members = writers.indices.filter { pass.contains(writers[$0].order) }
            guard !members.isEmpty else { continue }
            for host in pass.contains(.nmap) ? report.nmapOrder : report.hosts {
                for index in members { writers[index].host(host, sinks[index].sink) }
            }
        }
        for index in writers.indices {
            writers[index].footer(sinks[index].sink)
            sinks[index].sink.flush()
        }
    }

    private static func writer(_ format: ReportFormat, _ report: ScanReport, context: ReportContext) -> any ReportWriter {
        switch format {
        case .normal: NormalReport(report, context: context)
        case .xml: XMLReport(report, context: context)
        case .grepable: GrepableReport(report, context: context)
        case .json: JSONReport(report, context: context)
        case .csv: CSVReport(report, context: context)
        case .markdown: MarkdownReport(report, context: context)
        }
    }
}
