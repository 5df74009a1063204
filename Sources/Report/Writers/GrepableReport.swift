import PortgridCore

/// nmap's grepable output (`-oG`), line for line as nmap 7.93 writes it: one `Status` line per
/// host, one `Ports` line per port-scanned host with `port/state/protocol/owner/service/rpc/version/`
/// entries, and `Ignored State` only when exactly one state was folded. The name in parentheses is
/// the reverse-DNS name only (nmap leaves a typed name out). With -v, the ports scanned head the
/// file and down hosts are listed, first, as nmap reports them after its ping sweep.
struct GrepableReport: ReportWriter {
    var report: ReportTotals
    var context: ReportContext {
        didSet { services = ServiceLabel(services: context.services, detected: context.detected) }
    }
    private(set) var services: ServiceLabel
    let order = HostOrder.nmap

    init(_ report: ReportTotals, context: ReportContext) {
        self.report = report
        self.context = context
        services = ServiceLabel(services: context.services, detected: context.detected)
    }

    func header(_ out: ReportSink) {
        out.line(context.initiatedComment)
        context.changeComments.forEach(out.line)
        if context.verbosity > 0 { out.line(Self.portsScanned(report.plans)) }
    }

    func host(_ host: HostReport, _ out: ReportSink) {
        guard host.status != .down || context.verbosity > 0 else { return }
        let prefix = "Host: \(host.address) (\(host.reverseName.map(Escape.grepField) ?? ""))"
        out.line("\(prefix)\tStatus: \(Self.status(host.status))")
        guard host.hasPorts else { return }
        // Written entry by entry: a /16 is 65,536 of these lines.
        out.write(prefix)
        out.write("\tPorts: ")
        for (index, result) in host.listed.enumerated() {
            if index > 0 { out.write(", ") }
            out.write(number: result.port)
            out.write("/")
            out.write(result.state.rawValue)
            out.write("/")
            out.write(result.proto.rawValue)
            out.write("//")
            out.write(services.name(result).map(Escape.grepField) ?? "")
            out.write("//")
            out.write(Escape.grepField(services.detected.versionColumn(result)))
            out.write("/")
        }
        if host.folded.count == 1, let state = host.folded.first {
            out.write("\tIgnored State: \(state.state.rawValue) (\(state.count))")
        }
        out.write("\n")
    }

    func footer(_ out: ReportSink) {
        if report.interrupted {
            let missing = report.notScannedCount
            out.line("# Scan interrupted: partial results"
                + (missing > 0 ? "; \(NumberText.counted(missing, "planned port", "planned ports")) not scanned" : ""))
        }
        out.line(Summary.doneComment(report, context: context))
    }

    /// `# Ports scanned: TCP(3;22,80,443) UDP(0;) SCTP(0;) PROTOCOLS(0;)`: every port a scan plan
    /// named, per protocol (two TCP techniques from the TUI count their ports once).
    static func portsScanned(_ plans: [ScanPlan]) -> String {
        func ports(_ proto: TransportProtocol) -> PortSet {
            plans.filter { $0.technique.scansPorts && $0.technique.transport == proto }.reduce(PortSet()) { $0.union($1.ports) }
        }
        let tcp = ports(.tcp), udp = ports(.udp)
        return "# Ports scanned: TCP(\(tcp.count);\(tcp)) UDP(\(udp.count);\(udp)) SCTP(0;) PROTOCOLS(0;)"
    }

    static func status(_ status: HostStatus) -> String {
        switch status {
        case .up: "Up"
        case .down: "Down"
        case .unknown: "Unknown"
        }
    }
}
