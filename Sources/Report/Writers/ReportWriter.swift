/// The order a format lists hosts in.
enum HostOrder {
    /// `ScanReport.nmapOrder`: down hosts first when ports were scanned (normal, XML, grepable).
    case nmap
    /// `ScanReport.hosts`: address order (JSON, CSV, Markdown).
    case address
}

/// A format written host by host: its header, then each host in `order`, then its footer, each
/// into a `ReportSink`. Totals a format prints come from `ScanReport`, which counts them before
/// any host is written, so no format holds more than the host it is writing.
protocol ReportWriter {
    var order: HostOrder { get }
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
