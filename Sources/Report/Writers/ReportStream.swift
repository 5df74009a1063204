import PortgridCore

/// Several formats of one run written into their sinks part by part: every header, then each
/// part's hosts, then every footer with the totals of all the parts. A whole report is one part; a
/// headless run scanned in hostgroups writes a part per group as the group finishes, and lets it
/// go. Within a part each host is made once per order its formats list hosts in (once in all when
/// the orders agree) and rendered once per format; every sink is flushed at the end of a part, so
/// what a finished group found is in the files (and on the screen) while the next one scans.
struct ReportStream {
    private var writers: [any ReportWriter]
    private let sinks: [ReportSink]
    /// Every part's counts so far.
    private(set) var totals: ReportTotals

    /// Writes every header: `context` as known before the first host (no end, no count).
    init(_ sinks: [(format: ReportFormat, sink: ReportSink)], plans: [ScanPlan], context: ReportContext) {
        let totals = ReportTotals(plans: plans, interrupted: false)
        self.totals = totals
        self.sinks = sinks.map(\.sink)
        writers = sinks.map { Self.writer($0.format).init(totals, context: context) }
        for index in writers.indices { writers[index].header(self.sinks[index]) }
    }

    /// One part's hosts: `context` knows what `-sV` and the MAC vendors found for them.
    mutating func write(_ part: ScanReport, context: ReportContext) {
        totals.add(part.totals)
        for index in writers.indices {
            writers[index].report = part.totals
            writers[index].context = context
        }
        let passes: [[HostOrder]] = part.nmapOrderIsAddressOrder ? [[.nmap, .address]] : [[.nmap], [.address]]
        for pass in passes {
            let members = writers.indices.filter { pass.contains(writers[$0].order) }
            guard !members.isEmpty else { continue }
            for host in pass.contains(.nmap) ? part.nmapOrder : part.hosts {
                for index in members { writers[index].host(host, sinks[index]) }
            }
        }
        sinks.forEach { $0.flush() }
    }

    /// Every footer, with the run's end (`context`) and every part's counts.
    mutating func finish(context: ReportContext, interrupted: Bool) {
        totals.interrupted = interrupted
        for index in writers.indices {
            writers[index].report = totals
            writers[index].context = context
            writers[index].footer(sinks[index])
            sinks[index].flush()
        }
    }

    private static func writer(_ format: ReportFormat) -> any ReportWriter.Type {
        switch format {
        case .normal: NormalReport.self
        case .xml: XMLReport.self
        case .grepable: GrepableReport.self
        case .json: JSONReport.self
        case .csv: CSVReport.self
        case .markdown: MarkdownReport.self
        }
    }
}
