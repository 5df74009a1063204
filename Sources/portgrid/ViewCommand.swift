import Threads
import ArgumentParser
import FoundationEssentials
import Glibc
import PortgridCore
import Report
import ScanEngine
import TUI

/// `portgrid view FILE...`: shard or merged reports shown read-only, merged leniently (reports of
/// different scans are shown together), with the shards still missing named. On a terminal it opens
/// the TUI read-only (host list and grid from the stored results; `--watch` re-reads the files as
/// they change and updates the screen, so a person can watch shards land) and prints the table when
/// it closes; elsewhere (or with --no-tui) it prints the table, and `--watch` reprints it.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portgrid view",
        abstract: "Show portgrid JSON or XML reports (shards or merged) read-only.",
        discussion: "Files that do not exist yet are waited for with --watch (a shard still running)."
    )

    @Argument(help: "Reports written with -oJ or -oX.")
    var files: [String]
    @Option(name: .customLong("watch"), help: "Look every SECONDS and reprint when a report lands or changes (Ctrl-C ends).")
    var watch: Double?
    @Flag(name: .customLong("no-tui"), help: "Print the table instead of opening the screen (as when not on a terminal).")
    var noTUI = false

    func validate() throws {
        if let watch, !(watch >= 0.1 && watch <= 3600) {
            throw ValidationError("--watch takes seconds from 0.1 to 3600")
        }
    }

    func runView() async -> Int32 {
        if !noTUI && isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1 && !files.contains("-") {
            return await runTUI()
        }
        return printView()
    }

    /// The table, printed once, or reprinted as the files change with --watch.
    private func printView() -> Int32 {
        guard let watch else { return show(files) ?? 1 }
        var shown: [String: Date] = [:]
        var first = true
        while true {
            let present = files.filter(FileManager.default.fileExists)
            let stamps = Dictionary(uniqueKeysWithValues: present.map { ($0, Self.modified($0)) })
            if first || stamps != shown {
                if !first { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                first = false
                shown = stamps
                _ = show(present)
                fflush(nil)
            }
            OSThread.sleep(for: .seconds(watch))
        }
    }

    /// The screen, read-only, until q; then the table as the files stand, and its status.
    private func runTUI() async -> Int32 {
        let signals = TerminationSignals.shared
        signals.install()
        let first = ReportWatcher.read(files)
        // The header shows the merged scan's request; before any report lands, an empty one.
        let request = first.merged?.request ?? ScanRequest(targets: TargetSet(terms: []))
        let services = ServiceDatabase.load()
        var options = TUIOptions(request: request, reportContext: { interrupted in
            let now = Date()
            var context = ReportContext(version: PortgridCommand.version, arguments: CommandLine.arguments, start: now,
                                        end: now, interrupted: interrupted, services: services)
            context.request = request
            return context
        })
        options.stored = StoredSource(readings: ReportWatcher.readings(files, every: watch), watching: watch != nil)
        let outcome: TUIOutcome
        do {
            outcome = try await TUIApp.run(options)
        } catch {
            StandardError.write("portgrid: view: \(error)\n")
            return 1
        }
        let present = files.filter(FileManager.default.fileExists)
        let status = show(present) ?? 1
        return outcome.signal.map { 128 + $0 } ?? status
    }

    /// Prints the merged table; the status to exit with (nil: keep watching).
    private func show(_ present: [String]) -> Int32? {
        // Without --watch every file named must be there; with it, missing ones are awaited.
        let reports = present.compactMap { path -> StoredReport? in
            do { return try StoredReports.read(path) } catch {
                StandardError.write("portgrid: view: \(error)\n")
                return nil
            }
        }
        let waiting = files.count - present.count
        if waiting > 0 { print("Waiting for \(waiting) of \(files.count) reports.") }
        guard !reports.isEmpty else { return 1 }
        guard let merged = try? ReportMerge.merge(reports, force: true) else { return 1 }
        if let notice = StoredReports.missingNotice(merged) { print("Shards: \(notice).") }
        let now = Date()
        var context = ReportContext(version: PortgridCommand.version, arguments: CommandLine.arguments, start: now,
                                    end: now, interrupted: merged.interrupted || !merged.missingShards.isEmpty,
                                    services: ServiceDatabase.load())
        context.request = merged.request
        context.detected = merged.detected
        // Streamed host by host to standard output, as the run's own table is.
        do {
            try ReportFile.write(.normal, ScanReport(merged.store, interrupted: context.interrupted), context: context, to: "-")
        } catch {
            StandardError.write("portgrid: view: \(error)\n")
            return 1
        }
        return merged.missingShards.isEmpty && !merged.interrupted ? 0 : 1
    }

    private static func modified(_ path: String) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
    }
}
