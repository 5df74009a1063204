import PortgridCore

/// A Markdown page for reports and tickets (`-oD`, `--markdown`): a heading with the run's facts, then per up
/// host a heading, its status and folded counts, and a `| Port | State | Service | Reason |` table.
struct MarkdownReport: ReportWriter {
    let report: ScanReport
    let context: ReportContext
    let services: ServiceLabel
    let order = HostOrder.address

    init(_ report: ScanReport, context: ReportContext) {
        self.report = report
        self.context = context
        services = ServiceLabel(services: context.services, detected: context.detected)
    }

    func header(_ out: ReportSink) {
        out.line("# portgrid scan report")
        out.line("")
        out.line("- Command: \(Escape.markdownCode(context.commandLine))")
        out.line("- Started: \(TimeText.readable(context.start, context.timeZone)), "
                 + "finished in \(NumberText.elapsed(context.scanningSeconds)) s")
        out.line("- Hosts: \(NumberText.counted(report.addressCount, "IP address", "IP addresses")) "
                 + "(\(NumberText.counted(report.allUpCount, "host up", "hosts up")))")
        context.changes.forEach { out.line("- Changed in the TUI: \(Escape.markdownCell($0))") }
        if report.interrupted {
            let missing = report.notScannedCount
            out.line("- **Interrupted**: these are the results found before the scan stopped"
                     + (missing > 0 ? "; \(NumberText.counted(missing, "planned port was", "planned ports were")) not scanned." : "."))
        }
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

    func footer(_ out: ReportSink) {}
}
