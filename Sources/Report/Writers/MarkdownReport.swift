import PortgridCore

/// A Markdown page for reports and tickets (`-oD`, `--markdown`): a heading with the run's facts, then per up
/// host a heading, its status and folded counts, and a `| Port | State | Service | Reason |` table.
enum MarkdownReport {
    static func render(_ report: ScanReport, context: ReportContext) -> String {
        let services = ServiceLabel(services: context.services, detected: context.detected)
        var lines = [
            "# portgrid scan report",
            "",
            "- Command: \(Escape.markdownCode(context.commandLine))",
            "- Started: \(TimeText.readable(context.start, context.timeZone)), "
                + "finished in \(NumberText.elapsed(context.scanningSeconds)) s",
            "- Hosts: \(NumberText.counted(report.addressCount, "IP address", "IP addresses")) "
                + "(\(NumberText.counted(report.allUpCount, "host up", "hosts up")))",
        ]
        lines += context.changes.map { "- Changed in the TUI: \(Escape.markdownCell($0))" }
        if report.interrupted {
            let missing = report.notScannedCount
            lines.append("- **Interrupted**: these are the results found before the scan stopped"
                         + (missing > 0 ? "; \(NumberText.counted(missing, "planned port was", "planned ports were")) not scanned." : "."))
        }
        for host in report.hosts where host.status != .down {
            lines += ["", "## \(Escape.markdownCell(Summary.name(host)))", ""]
            var facts = [Summary.statusSentence(host)]
            if !host.folded.isEmpty { facts.append("Not shown: \(NormalReport.notShown(host.folded)).") }
            if host.notScannedCount > 0 {
                facts.append("Not scanned: \(NormalReport.notScanned(host, interrupted: report.interrupted)).")
            }
            lines.append(facts.joined(separator: " "))
            guard !host.listed.isEmpty else { continue }
            let versions = services.detected.isOn
            lines += ["", "| Port | State | Service | Reason |" + (versions ? " Version |" : ""),
                      "|------|-------|---------|--------|" + (versions ? "---------|" : "")]
            for result in host.listed {
                let cells = ["\(result.port)/\(result.proto.rawValue)", result.state.rawValue,
                             services.table(result), result.reason.rawValue]
                    + (versions ? [services.detected.versionColumn(result)] : [])
                lines.append("| " + cells.map(Escape.markdownCell).joined(separator: " | ") + " |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
