import Report

/// Where results go at the end: every `-o` file, and whether the table is printed on stdout
/// (not when a format already claimed stdout with `-`, so stdout stays one parseable document).
struct OutputPlan {
    var files: [(format: ReportFormat, path: String)]

    init(_ command: PortgridCommand) {
        var files: [(ReportFormat, String)] = []
        if let base = command.allBase {
            files += [(.normal, base + ".nmap"), (.xml, base + ".xml"), (.grepable, base + ".gnmap")]
        }
        let single: [(ReportFormat, String?)] = [
            (.normal, command.normalFile), (.xml, command.xmlFile), (.grepable, command.grepFile),
            (.json, command.jsonFile), (.csv, command.csvFile), (.markdown, command.markdownFile),
        ]
        for case let (format, path?) in single { files.append((format, path)) }
        self.files = files
    }

    var printsTable: Bool { !files.contains { $0.path == "-" } }
}
