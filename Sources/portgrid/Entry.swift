import ArgumentParser
import Foundation
import Glibc
import PortgridCore
import Report
import ScanEngine
import ServiceDetection
import TUI

/// Parse, scan (TUI or headless), then print and export. Usage errors: one line, exit 64.
@main
enum Entry {
    static func main() async {
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
            ReportContext(version: PortgridCommand.version, arguments: CommandLine.arguments, start: start,
                          end: Date(), interrupted: interrupted, services: services.names)
        }

        // -sV: probing starts as soon as the scan reports an open port (headless), or after a TUI session.
        let detection = (try? command.versionIntensity()).flatMap { $0 }.map { intensity in
            VersionDetectionRun(intensity: intensity, timing: request.timing, verbose: command.verbose > 0,
                                names: { services.names.name(port: $0, proto: $1) })
        }
        var detected: [ServiceKey: ServiceIdentity]?

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
            let trap = SignalTrap { _ in control.cancel(); detection?.cancel() }
            var run = HeadlessRun(request: request, verbosity: command.verbose, control: control)
            if let detection { run.onResults = { detection.submitOpen($0) } }
            store = await run.run()
            if let detection { detected = await detection.collect(from: store) }
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

        if useTUI, let detection {
            // The TUI does not show versions yet: detection runs on the session's open ports after it closes.
            let trap = SignalTrap { _ in detection.cancel() }
            StandardError.write("portgrid: detecting services on the open ports (-sV)...\n")
            detected = await detection.collect(from: store)
            trap.release()
        }
        var reportContext = context(interrupted)
        reportContext.detected = detected
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
