import ArgumentParser
import FoundationEssentials
import PortgridCore
import Report

/// `portgrid merge FILE...`: the JSON or XML reports of one scan's shards (or of a scan and its
/// resumptions) as one report, in any format. Exit 0 when complete, 1 when an input cannot be
/// used or a shard or part is missing (the report is written all the same), 64 on bad flags.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portgrid merge",
        abstract: "Merge the JSON or XML reports of one scan's shards into one report.",
        discussion: "Inputs must come from one scan (targets, ports, technique, seed, shard count). "
            + "Without an -o option the merged table is printed."
    )

    @Argument(help: "Reports written with -oJ or -oX ('-' = stdin).")
    var files: [String]
    @Flag(name: .customLong("force"), help: "Merge reports of different scans anyway.")
    var force = false
    @Option(name: .customLong("oN", withSingleDash: true), help: "Normal output to FILE ('-' = stdout).")
    var normalFile: String?
    @Option(name: .customLong("oX", withSingleDash: true), help: "nmap XML output to FILE.")
    var xmlFile: String?
    @Option(name: .customLong("oG", withSingleDash: true), help: "Grepable output to FILE.")
    var grepFile: String?
    @Option(name: .customLong("oJ", withSingleDash: true), help: "JSON output to FILE.")
    var jsonFile: String?
    @Option(name: .customLong("oC", withSingleDash: true), help: "CSV output to FILE.")
    var csvFile: String?
    @Option(name: .customLong("oM", withSingleDash: true), help: "Grepable output to FILE (nmap's old name for -oG).")
    var machineFile: String?
    @Option(name: [.customLong("oD", withSingleDash: true), .customLong("markdown")], help: "Markdown output to FILE.")
    var markdownFile: String?

    var outputs: [(format: ReportFormat, path: String)] {
        let all: [(ReportFormat, String?)] = [(.normal, normalFile), (.xml, xmlFile), (.grepable, grepFile),
                                              (.grepable, machineFile), (.json, jsonFile), (.csv, csvFile),
                                              (.markdown, markdownFile)]
        return all.compactMap { format, path in path.map { (format, $0) } }
    }

    func runMerge() -> Int32 {
        let merged: MergedScan
        do {
            merged = try ReportMerge.merge(try files.map(StoredReports.read), force: force)
        } catch {
            StandardError.write("portgrid: merge: \(error)\n")
            return 1
        }
        var status: Int32 = 0
        if let notice = StoredReports.missingNotice(merged) {
            StandardError.write("portgrid: merge: \(notice)\n")
            status = 1
        }
        if merged.interrupted {
            StandardError.write("portgrid: merge: an input was interrupted: resume it with --resume FILE, then merge again\n")
            status = 1
        }
        let now = Date()
        var context = ReportContext(version: PortgridCommand.version, arguments: CommandLine.arguments, start: now,
                                    end: now, interrupted: merged.interrupted || !merged.missingShards.isEmpty,
                                    services: ServiceDatabase.load())
        context.request = merged.request
        // The inputs' -sV findings go on, so merged shards of a -sV scan still say what runs where.
        context.detected = merged.detected
        NmapDataFiles.describe(in: &context)
        // The stored request says whether the scan was asked to show open ports only (--open).
        let report = ScanReport(merged.store, interrupted: context.interrupted, openOnly: merged.request.openOnly)
        // Each output streamed host by host; the table, when no output is standard output, first.
        let table = outputs.contains(where: { $0.path == "-" }) ? [] : [(ReportFormat.normal, "-")]
        for (format, path) in table + outputs {
            do { try ReportFile.write(format, report, context: context, to: path) } catch {
                StandardError.write("portgrid: \(error)\n")
                status = 1
            }
        }
        return status
    }
}
