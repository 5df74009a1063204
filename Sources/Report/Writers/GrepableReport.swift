import PortgridCore

/// nmap's grepable output (`-oG`), line for line as nmap 7.93 writes it: one `Status` line per
/// host, one `Ports` line per port-scanned host with `port/state/protocol/owner/service/rpc/version/`
/// entries, and `Ignored State` only when exactly one state was folded. The name in parentheses is
/// the reverse-DNS name only (nmap leaves a typed name out). With -v, the ports scanned head the
/// file and down hosts are listed, first, as nmap reports them after its ping sweep.
enum GrepableReport {
    static func render(_ report: ScanReport, context: ReportContext) -> String {
        let services = ServiceLabel(services: context.services, detected: context.detected)
        let zone = context.timeZone
        // Appended line by line to one string, not joined from an array of every line (a /16's
        // report held twice).
        var out = ""
        out.reserveCapacity(report.textCapacity(perHost: 160, perPort: 100))
        func add(_ line: String) {
            out += line
            out += "\n"
        }
        add("# portgrid \(context.version) scan initiated \(TimeText.ctime(context.start, zone)) as: \(context.nmapCommandLine)")
        context.changeComments.forEach(add)
        if context.verbosity > 0 { add(portsScanned(report.plans)) }
        for host in report.nmapOrder where host.status != .down || context.verbosity > 0 {
            let prefix = "Host: \(host.address) (\(host.reverseName.map(Escape.grepField) ?? ""))"
            add("\(prefix)\tStatus: \(status(host.status))")
            guard host.hasPorts else { continue }
            let ports = host.listed.map { result in
                "\(result.port)/\(result.state.rawValue)/\(result.proto.rawValue)//"
                    + "\(services.name(result).map(Escape.grepField) ?? "")//"
                    + "\(Escape.grepField(services.detected.versionColumn(result)))/"
            }
            var line = "\(prefix)\tPorts: \(ports.joined(separator: ", "))"
            if host.folded.count == 1, let state = host.folded.first {
                line += "\tIgnored State: \(state.state.rawValue) (\(state.count))"
            }
            add(line)
        }
        if report.interrupted {
            let missing = report.notScannedCount
            add("# Scan interrupted: partial results"
                + (missing > 0 ? "; \(NumberText.counted(missing, "planned port", "planned ports")) not scanned" : ""))
        }
        add("# portgrid done at \(TimeText.ctime(context.end, zone)) -- \(Summary.line(report, context: context))")
        return out
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
