import Glibc
import FoundationEssentials
import PortgridCore
import Report
import ScanEngine

/// `--resume FILE`: continues the interrupted scan a JSON report describes. The request is read
/// from the report, every (host, port) it already decided is skipped, the rest is scanned
/// headless, and one complete report (old and new results) is written: to the -o files given,
/// else back over FILE. A report of a finished scan is left alone: there is nothing to resume.
struct ResumeRun {
    let command: PortgridCommand
    let file: String

    /// Flags that shape the scan: the report fixes them, so giving them too is a contradiction.
    static func conflictingFlag(_ command: PortgridCommand) -> String? {
        if !command.targets.isEmpty || command.target.inputList != nil { return "targets" }
        let ports = command.portOptions
        if ports.ports != nil || ports.topPorts != nil || ports.fast || ports.excludePorts != nil {
            return "-p/--top-ports/-F/--exclude-ports"
        }
        if (try? command.chosenTechnique()) ?? nil != nil { return "a technique flag" }
        if command.misc.shard != nil || command.misc.seed != nil { return "--shard/--seed" }
        if !command.target.exclude.isEmpty || command.target.excludeFile != nil { return "--exclude/--excludefile" }
        if let flag = DiscoveryProbeFlags.given(command).first { return flag }
        if command.portOptions.sequential { return "-r" }
        if command.misc.ipv6 { return "-6" }
        return nil
    }

    func run() async -> Int32 {
        TerminationSignals.shared.install()
        if let flag = Self.conflictingFlag(command) {
            Entry.usageError("--resume takes the scan from \(file): leave out \(flag)")
        }
        let previous: StoredReport
        do { previous = try StoredReports.read(file) } catch {
            StandardError.write("portgrid: resume: \(error)\n")
            return 1
        }
        guard previous.interrupted else {
            print("portgrid: \(file) is a finished scan: nothing to resume")
            return 0
        }
        var request = previous.request
        request.finished = previous.finishedWork
        // Timing flags may differ from the first run's: they change speed, not what is scanned.
        if command.timing.isGiven {
            do { request.timing = try command.timing.profile() } catch {
                Entry.usageError(error.description)
            }
        }
        // The first run's --open holds (it is in the stored request); giving --open now adds it.
        request.openOnly = request.openOnly || command.output.openOnly
        request.packetTrace = command.output.packetTrace

        // Every output opened before the first probe, as for any scan; with no -o, back over FILE.
        var outputs: ReportOutputs
        do {
            var requests = try OutputPlan.requests(command, raw: .current)
            // --append-output appends to the -o files named; the report written back over FILE
            // replaces it, or it would no longer read back as one report.
            let append = command.output.appendOutput && !requests.isEmpty
            if requests.isEmpty && file != "-" {
                requests = [ReportRequest(format: .json, path: ReportPath(file), flag: "--resume")]
            }
            outputs = try ReportOutputs.open(requests, table: true, append: append,
                                             stop: { TerminationSignals.shared.received != nil })
        } catch {
            StandardError.write("portgrid: \(error)\n")
            return (error as? ReportFileError)?.isUsageError == true || error is CommandFailure ? 64 : 1
        }

        let services = ServiceDatabase.loadInBackground()
        let start = Date()
        let outcome = await HeadlessRun(request: request, verbosity: command.verbosity, stats: nil).run()
        let found = outcome.store
        var interrupted = outcome.interrupted
        if let failure = outcome.failure {
            StandardError.write("portgrid: \(failure)\n")
            interrupted = true
        }
        var status = outcome.exitStatus(writeFailed: false)

        var context = ReportContext(version: PortgridCommand.version, arguments: CommandLine.arguments, start: start,
                                    end: Date(), interrupted: interrupted, services: services.names)
        context.request = previous.request
        context.verbosity = command.output.verbose
        context.debugging = command.output.debug
        context.showReasons = command.output.reason
        let store = ReportMerge.resumed(previous, run: found)
        NmapDataFiles.describe(in: &context, for: store)
        let report = ScanReport(store, interrupted: interrupted, folding: context.folding, openOnly: request.openOnly)
        let failures = outputs.write(report, context: context)
        for failure in failures { StandardError.write("portgrid: \(failure)\n") }
        if !failures.isEmpty && status == 0 { status = 1 }
        fflush(nil)
        return status
    }
}
