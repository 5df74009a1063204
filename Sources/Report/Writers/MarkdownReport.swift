import PortgridCore

/// A Markdown page for reports and tickets (`-oD`, `--markdown`): a heading with the command and its start,
/// then per up host a heading, its status and folded counts, and a `| Port | State | Service | Reason |`
/// table, then a summary (time taken, hosts, whether it was interrupted).
struct MarkdownReport: ReportWriter {
    var report: ReportTotals
    var context: ReportContext {
        didSet { services = ServiceLabel(services: context.services, detected: context.detected) }
    }
    private(set) var services: ServiceLabel
    let order = HostOrder.address

    init(_ report: ReportTotals, context: ReportContext) {
        self.report = report
        self.context = context
        services = ServiceLabel(services: context.services, detected: context.detected)
    }

    func header(_ out: ReportSink) {
        out.line("# portgrid scan report")
        out.line("")
        out.line("- Command: \(Escape.markdownCode(context.commandLine))")
        out.line("- Started: \(TimeText.readable(context.start, context.timeZone))")
        context.changes.forEach { out.line("- Changed in the TUI: \(Escape.markdownCell($0))") }
    }

    func host(_ host: HostReport, _ out: ReportSink) {
        guard host.status != .down else { return }
        ["", "## \(Escape.markdownCell(Summary.name(host)))", ""].forEach(out.line)
        var facts = [Summary.statusSentence(host)]
        if !host.folded.isEmpty { facts.append("Not shown: \(NormalReport.notShown(host.folded)).") }
        if host.notScannedCount > 0 {
            facts.append("Not scanned: \(NormalReport.notScanned(host, interrupted: report.interrupted)).")
        }
        out.line(facts.joined(separator: " "))
        guard !host.listed.isEmpty else { return }
        let versions = services.detected.isOn
        out.line("")
        out.line("| Port | State | Service | Reason |" + (versions ? " Version |" : ""))
        out.line("|------|-------|---------|--------|" + (versions ? "---------|" : ""))
        for result in host.listed {
            let cells = ["\(result.port)/\(result.proto.rawValue)", result.state.rawValue,
                         services.table(result), result.reason.rawValue]
                + (versions ? [services.detected.versionColumn(result)] : [])
            out.line("| " + cells.map(Escape.markdownCell).joined(separator: " | ") + " |")
        }
    }

    /// The run's totals close the page: a run written group by group knows them only at its end.
    func footer(_ out: ReportSink) {
        out.line("")
        out.line("## Summary")
        out.line("")
        out.line("- Finished in \(NumberText.elapsed(context.scanningSeconds)) s: "
                 + "\(NumberText.counted(report.addressCount, "IP address", "IP addresses")) "
                 + "(\(NumberText.counted(report.allUpCount, "host up", "hosts up")))")
        if report.interrupted {
            let missing = report.notScannedCount
            out.line("- **Interrupted**: these are the results found before the scan stopped"
                     + (missing > 0 ? "; \(NumberText.counted(missing, "planned port was", "planned ports were")) not scanned." : "."))
        }
    }
}
