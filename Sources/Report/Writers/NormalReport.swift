import PortgridCore

/// nmap's normal output (`-oN`, and the table printed on exit), per host:
///
///     portgrid scan report for target.test (198.18.0.2)
///     Host is up, received syn-ack (0.00012s latency).
///     Not shown: 97 closed tcp ports (conn-refused)
///     PORT    STATE SERVICE REASON
///     22/tcp  open  ssh     syn-ack
///
/// Down hosts are counted in the footer but not listed, as nmap does without `-v`.
enum NormalReport {
    static func render(_ report: ScanReport, context: ReportContext) -> String {
        let services = ServiceLabel(services: context.services, detected: context.detected)
        var lines = ["# portgrid \(context.version) scan initiated \(TimeText.ctime(context.start, context.timeZone)) as: \(context.commandLine)"]
        lines += context.changeComments
        for host in report.hosts where host.status != .down {
            lines += block(host, services: services, interrupted: report.interrupted)
            lines.append("")
        }
        if report.interrupted {
            let missing = report.notScannedCount
            lines.append("Scan interrupted: the results above are those found before it stopped"
                         + (missing > 0 ? "; \(NumberText.counted(missing, "planned port was", "planned ports were")) not scanned." : "."))
        }
        lines.append("portgrid done: \(Summary.line(report, context: context))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func block(_ host: HostReport, services: ServiceLabel, interrupted: Bool) -> [String] {
        let name = Summary.name(host)
        var lines = ["portgrid scan report for \(name)", Summary.statusSentence(host)]
        if host.hasPorts && host.listed.isEmpty {
            let n = host.scannedCount
            lines.append(n == 1 ? "The 1 scanned port on \(name) is in an ignored state."
                                : "All \(n) scanned ports on \(name) are in ignored states.")
        }
        if !host.folded.isEmpty { lines.append("Not shown: " + notShown(host.folded)) }
        if host.notScannedCount > 0 { lines.append("Not scanned: " + notScanned(host, interrupted: interrupted)) }
        guard !host.listed.isEmpty else { return lines }
        let versions = services.detected.isOn
        var rows = [["PORT", "STATE", "SERVICE", "REASON"] + (versions ? ["VERSION"] : [])]
        for result in host.listed {
            rows.append(["\(result.port)/\(result.proto.rawValue)", result.state.rawValue, services.table(result),
                         result.reason.rawValue] + (versions ? [services.detected.versionColumn(result)] : []))
        }
        return lines + TextTable(rows: rows).render()
    }

    /// `97 closed tcp ports (conn-refused), 100 filtered tcp ports (60 no-response, 40 admin-prohibited)`
    static func notShown(_ folded: [FoldedState]) -> String {
        var parts: [String] = []
        for state in folded {
            for proto in TransportProtocol.allCases {
                let groups = state.groups.filter { $0.proto == proto }
                guard !groups.isEmpty else { continue }
                let count = groups.reduce(0) { $0 + $1.count }
                let reasons = groups.count == 1 ? groups[0].reason.rawValue
                    : groups.map { "\($0.count) \($0.reason.rawValue)" }.joined(separator: ", ")
                parts.append("\(count) \(state.state.rawValue) \(proto.rawValue) \(count == 1 ? "port" : "ports") (\(reasons))")
            }
        }
        return parts.joined(separator: ", ")
    }

    static func notScanned(_ host: HostReport, interrupted: Bool) -> String {
        TransportProtocol.allCases.compactMap { proto in
            host.notScanned[proto].map { "\($0) \(proto.rawValue) \($0 == 1 ? "port" : "ports")" }
        }.joined(separator: ", ") + (interrupted ? " (scan interrupted)" : " (no result)")
    }
}

/// Sentences several formats share.
enum Summary {
    /// `1 IP address (1 host up) scanned in 0.02 seconds`
    static func line(_ report: ScanReport, context: ReportContext) -> String {
        "\(NumberText.counted(report.hosts.count, "IP address", "IP addresses")) "
            + "(\(NumberText.counted(report.upCount, "host up", "hosts up"))) "
            + "scanned in \(NumberText.elapsed(context.scanningSeconds)) seconds"
    }

    /// `target.test (198.18.0.2)`, or the address alone.
    static func name(_ host: HostReport) -> String {
        host.hostname.map { "\($0) (\(host.address))" } ?? "\(host.address)"
    }

    /// `Host is up, received syn-ack (0.00012s latency).`
    static func statusSentence(_ host: HostReport) -> String {
        switch host.status {
        case .up:
            let latency = host.rtt.map { " (\(NumberText.significant(NumberText.seconds($0)))s latency)" } ?? ""
            return "Host is up, received \(host.reason.rawValue)\(latency)."
        case .down:
            return "Host is down, received \(host.reason.rawValue)."
        case .unknown:
            return "Host status is unknown: no reply has decided it yet."
        }
    }
}
