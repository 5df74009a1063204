import PortgridCore

/// nmap's grepable output (`-oG`): one `Status` line per host, one `Ports` line per port-scanned
/// host with `port/state/protocol/owner/service/rpc/version/` entries, then the folded states.
/// Lines are sorted host (numeric), then protocol, then port, so two runs diff cleanly.
enum GrepableReport {
    static func render(_ report: ScanReport, context: ReportContext) -> String {
        let services = ServiceLabel(services: context.services, detected: context.detected)
        let zone = context.timeZone
        var lines = ["# portgrid \(context.version) scan initiated \(TimeText.ctime(context.start, zone)) as: \(context.commandLine)"]
        lines += context.changeComments
        for host in report.hosts {
            let prefix = "Host: \(host.address) (\(host.hostname.map(Escape.grepField) ?? ""))"
            lines.append("\(prefix)\tStatus: \(status(host.status))")
            guard host.hasPorts else { continue }
            let ports = host.listed.map { result in
                "\(result.port)/\(result.state.rawValue)/\(result.proto.rawValue)//"
                    + "\(services.name(result).map(Escape.grepField) ?? "")//"
                    + "\(Escape.grepField(services.detected.versionColumn(result)))/"
            }
            var line = "\(prefix)\tPorts: \(ports.joined(separator: ", "))"
            if !host.folded.isEmpty {
                line += "\tIgnored State: " + host.folded.map { "\($0.state.rawValue) (\($0.count))" }.joined(separator: ", ")
            }
            lines.append(line)
        }
        if report.interrupted {
            let missing = report.notScannedCount
            lines.append("# Scan interrupted: partial results"
                         + (missing > 0 ? "; \(NumberText.counted(missing, "planned port", "planned ports")) not scanned" : ""))
        }
        lines.append("# portgrid done at \(TimeText.ctime(context.end, zone)) -- \(Summary.line(report, context: context))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func status(_ status: HostStatus) -> String {
        switch status {
        case .up: "Up"
        case .down: "Down"
        case .unknown: "Unknown"
        }
    }
}
