import PortgridCore

/// nmap's normal output (`-oN`, and the table printed on exit), line for line as nmap 7.93 writes
/// it for the same scan, per host:
///
///     portgrid scan report for target.test (198.18.0.2)
///     Host is up, received syn-ack ttl 64 (0.00012s latency).
///     Not shown: 60 filtered tcp ports (no-response), 37 closed tcp ports (reset)
///     PORT    STATE SERVICE REASON
///     22/tcp  open  ssh     syn-ack ttl 64
///
/// Reasons show with --reason, -vv or -d; down hosts are listed only with -v, before the others
/// (nmap reports them when its ping sweep ends).
struct NormalReport: ReportWriter {
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
    }

    func host(_ host: HostReport, _ out: ReportSink) {
        if host.status == .down {
            guard context.verbosity > 0 else { return }
            let reason = context.reasonsShown ? ", received \(host.reason.rawValue)" : ""
            out.line("portgrid scan report for \(Summary.name(host)) [host down\(reason)]")
            return
        }
        Self.block(host, services: services, context: context, interrupted: report.interrupted, to: out)
    }

    func footer(_ out: ReportSink) {
        if report.interrupted {
            let missing = report.notScannedCount
            out.line("Scan interrupted: the results above are those found before it stopped"
                + (missing > 0 ? "; \(NumberText.counted(missing, "planned port was", "planned ports were")) not scanned." : "."))
        }
        // nmap names its data directory with -v once it read a file from it: the port names for a
        // port scan, the MAC vendors for a host on its link.
        let readData = report.plans.contains(where: \.technique.scansPorts) || (!context.macVendors.isEmpty && report.hasMAC)
        if context.verbosity > 0, let directory = context.dataDirectory, readData {
            out.line("Read data files from: \(directory)")
        }
        out.line(Summary.doneComment(report, context: context))
    }

    /// One host's lines, written into `out` as they are made; a host with a port table ends with a
    /// blank line, a swept host does not.
    static func block(_ host: HostReport, services: ServiceLabel, context: ReportContext, interrupted: Bool,
                      to out: ReportSink) {
        let reasons = context.reasonsShown
        out.write("portgrid scan report for ")
        Summary.name(host, to: out)
        out.write("\n")
        Summary.statusSentence(host, reasons: reasons, to: out)
        out.write("\n")
        if context.verbosity >= 2 || context.debugging > 0, let start = host.scanStart, let end = host.scanEnd {
            out.line("Scanned at \(TimeText.readable(start, context.timeZone)) for \(Int(end.timeIntervalSince(start)))s")
        }
        if let typed = host.hostname, let found = host.reverseName, typed != found {
            out.line("rDNS record for \(host.address): \(found)")
        }
        // nmap's last line of a host: its MAC address, when it is on the scanner's link.
        func mac() {
            guard let mac = host.mac else { return }
            out.line("MAC Address: \(mac) (\(context.macVendors.vendor(of: mac) ?? "Unknown"))")
        }
        guard host.hasPorts || host.notScannedCount > 0 else { return mac() }
        if host.hasPorts && host.listed.isEmpty {
            let n = host.scannedCount, name = Summary.name(host)
            out.line(n == 1 ? "The 1 scanned port on \(name) is in an ignored state."
                            : "All \(n) scanned ports on \(name) are in ignored states.")
        }
        if !host.folded.isEmpty { out.line("Not shown: " + notShown(host.folded)) }
        if host.notScannedCount > 0 { out.line("Not scanned: " + notScanned(host, interrupted: interrupted)) }
        guard !host.listed.isEmpty else {
            mac()
            return out.write("\n")
        }
        // nmap leaves a blank line above the table when no "Not shown" line stands there.
        if host.folded.isEmpty { out.write("\n") }
        let versions = services.detected.isOn
        var table = TextTable(columns: 3 + (reasons ? 1 : 0) + (versions ? 1 : 0), rows: host.listed.count + 1)
        table.append(["PORT", "STATE", "SERVICE"] + (reasons ? ["REASON"] : []) + (versions ? ["VERSION"] : []))
        for result in host.listed {
            table.append("\(result.port)/\(result.proto.rawValue)")
            table.append(result.state.rawValue)
            table.append(services.table(result))
            if reasons { table.append(Summary.reason(result.reason, ttl: result.replyTTL)) }
            if versions { table.append(services.detected.versionColumn(result)) }
        }
        table.write(to: out)
        mac()
        out.write("\n")
    }

    /// One entry per (state, protocol, reason), states most common first, as nmap 7.93 writes them:
    /// `60 filtered tcp ports (no-response), 40 filtered tcp ports (admin-prohibited), 3 closed tcp ports (reset)`
    static func notShown(_ folded: [FoldedState]) -> String {
        var parts: [String] = []
        for state in folded {
            for group in state.groups {
                let count = group.count
                parts.append("\(count) \(state.state.rawValue) \(group.proto.rawValue) \(count == 1 ? "port" : "ports") (\(group.reason.rawValue))")
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
    /// nmap's last line of -oN and -oG: `# portgrid done at Tue Nov  3 21:25:37 2026 -- 1 IP address …`.
    static func doneComment(_ report: ReportTotals, context: ReportContext) -> String {
        "# portgrid done at \(TimeText.ctime(context.end, context.timeZone)) -- \(line(report, context: context))"
    }

    /// `1 IP address (1 host up) scanned in 0.02 seconds`
    static func line(_ report: ReportTotals, context: ReportContext) -> String {
        "\(NumberText.counted(report.addressCount, "IP address", "IP addresses")) "
            + "(\(NumberText.counted(report.allUpCount, "host up", "hosts up"))) "
            + "scanned in \(NumberText.elapsed(context.scanningSeconds)) seconds"
    }

    /// `target.test (198.18.0.2)`, or the address alone.
    static func name(_ host: HostReport) -> String { ReportSink.text { name(host, to: $0) } }

    /// The same, written into `out` (every host of a /16 has its line).
    static func name(_ host: HostReport, to out: ReportSink) {
        guard let name = host.displayName else { return out.write(address: host.address) }
        out.write(name)
        out.write(" (")
        out.write(address: host.address)
        out.write(")")
    }

    /// A reason as nmap's REASON column shows it: `syn-ack ttl 64` when a packet's TTL is known.
    static func reason(_ reason: Reason, ttl: UInt8?) -> String {
        guard let ttl, ttl > 0 else { return reason.rawValue }
        return "\(reason.rawValue) ttl \(ttl)"
    }

    /// `Host is up, received syn-ack ttl 64 (0.00012s latency).`, or `Host is up (0.00012s latency).`
    /// without reasons.
    static func statusSentence(_ host: HostReport, reasons: Bool = true) -> String {
        ReportSink.text { statusSentence(host, reasons: reasons, to: $0) }
    }

    /// The same, written into `out` piece by piece (a /16's normal output has 65,536 of them).
    static func statusSentence(_ host: HostReport, reasons: Bool = true, to out: ReportSink) {
        switch host.status {
        case .up: out.write("Host is up")
        case .down: out.write("Host is down")
        case .unknown: return out.write("Host status is unknown: no reply has decided it yet.")
        }
        if reasons {
            out.write(", received ")
            out.write(host.reason.rawValue)
            if let ttl = host.replyTTL, ttl > 0 {
                out.write(" ttl ")
                out.write(number: ttl)
            }
        }
        if host.status == .up, let rtt = host.rtt {
            out.write(" (")
            NumberText.significant(NumberText.seconds(rtt), to: out)
            out.write("s latency)")
        }
        out.write(".")
    }
}
