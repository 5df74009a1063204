/// The order a format lists hosts in.
enum HostOrder {
    /// `ScanReport.nmapOrder`: down hosts first when ports were scanned (normal, XML, grepable).
    case nmap
    /// `ScanReport.hosts`: address order (JSON, CSV, Markdown).
    case address
}

/// A format written host by host: its header, then each host in `order`, then its footer, each
/// into a `ReportSink`. A run may come in parts (`ReportStream`): before a part's hosts the stream
/// sets that part's `report` (its totals; whether it was interrupted) and `context` (what `-sV`
/// and the MAC vendors know of its hosts), and before the footer the whole run's. So a header
/// says only what is known before the first host (no end time, no count), and no format holds
/// more than the host it is writing.
protocol ReportWriter {
    init(_ report: ReportTotals, context: ReportContext)
    var order: HostOrder { get }
    var report: ReportTotals { get set }
    var context: ReportContext { get set }
    mutating func header(_ out: ReportSink)
    mutating func host(_ host: HostReport, _ out: ReportSink)
    mutating func footer(_ out: ReportSink)
}

extension ReportSink {
    /// One line of a line-oriented format.
    func line(_ text: String) {
        write(text)
        write("\n")
    }
}
