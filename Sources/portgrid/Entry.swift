import ArgumentParser
import Foundation
import Glibc
import PortgridCore
import Report
import ScanEngine
import TUI

/// Parse, scan (TUI or headless), then print and export. Usage errors: one line, exit 64.
@main
enum Entry {
    static func main() async {
        if let status = Subcommands.run(Array(CommandLine.arguments.dropFirst())) { exit(status) }
        let command: PortgridCommand
        do {
            command = try PortgridCommand.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            let code = PortgridCommand.exitCode(for: error)
            if code == .success {
                print(PortgridCommand.fullMessage(for: error))
                exit(0)
            }
            usageError(PortgridCommand.message(for: error))
        }

        if let file = command.resume { exit(await ResumeRun(command: command, file: file).run()) }
        let request: ScanRequest
        do {
            request = try command.makeRequest(defaultTechnique: Scanner.defaultTechnique)
        } catch {
            usageError(error.description)
        }

        // Loads while the scan runs: the tables are read only for the report (and the TUI's first frame).
        let services = ServiceDatabase.loadInBackground()
        let start = Date()
        let outputs = OutputPlan(command)
        let useTUI = !command.noTUI && isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1
        let context: @Sendable (Bool) -> ReportContext = { interrupted in
            var context = ReportContext(version: PortgridCommand.version, arguments: CommandLine.arguments,
                                        start: start, end: Date(), interrupted: interrupted, services: services.names)
            context.request = request
            return context
        }

        let store: ResultStore
        var interrupted = false
        var exitStatus: Int32 = 0
        if useTUI {
            do {
                let outcome = try await TUIApp.run(TUIOptions(request: request, reportContext: context))
                store = outcome.store
                interrupted = outcome.interrupted
            } catch {
                StandardError.write("portgrid: \(error)\n")
                exit(1)
            }
        } else {
            let control = ScanControl(timing: request.timing)
            let trap = SignalTrap { _ in control.cancel() }
            store = await HeadlessRun(request: request, verbosity: command.verbose, control: control).run()
            trap.release()
            // A headless run has one scan: if it did not complete, the results are partial.
            if store.summary?.outcome == .cancelled || store.summary == nil { interrupted = true }
            if let status = trap.exitStatus {
                interrupted = true
                exitStatus = status
            }
        }

        // In the TUI a failed scan was already shown in the footer and others may have run after it;
        // headless, the one scan's failure is the run's exit status.
        if !useTUI, let summary = store.summary, summary.outcome == .failed {
            StandardError.write("portgrid: \(summary.error ?? "scan failed")\n")
            if store.ports.isEmpty && store.hosts.isEmpty { exit(1) }
            exitStatus = 1
        }

        let reportContext = context(interrupted)
        // The merged, folded model is built once; each format only renders it.
        let report = ScanReport(store, interrupted: interrupted)
        if outputs.printsTable {
            print(Report.render(.normal, report, context: reportContext), terminator: "")
        }
        for (format, path) in outputs.files {
            do {
                try ReportFile.write(Report.render(format, report, context: reportContext), to: path)
            } catch {
                StandardError.write("portgrid: \(error)\n")
                exitStatus = exitStatus == 0 ? 1 : exitStatus
            }
        }
        fflush(nil)
        // Release builds (Swift 6.3) otherwise free `services` while the report still reads it (ASan:
        // heap-use-after-free in ServiceNames.name via Report.render); every headless -c release run crashed.
        // The holder owns the loaded table; the report's context holds a copy of it.
        withExtendedLifetime((services, reportContext, context)) {}
        exit(exitStatus)
    }

    static func usageError(_ message: String) -> Never {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        StandardError.write("portgrid: \(line)\n")
        exit(ExitCode.validationFailure.rawValue)
    }
}
