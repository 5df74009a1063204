import FoundationEssentials
import Glibc
import PortgridCore
import Report
import ScanEngine
import ServiceDetection
import TUI

/// One run of the command, from checked flags to exit status: check everything that can be checked
/// before the first probe (flags, numbers, every output path), scan in the TUI or headless, then
/// write every report once and decide the exit status once (`RunOutcome.exitStatus`).
struct Run {
    let command: PortgridCommand

    func execute() async -> Int32 {
        do {
            return try await phases()
        } catch {
            StandardError.write("portgrid: \(error.description)\n")
            return error.status
        }
    }

    private func phases() async throws(CommandFailure) -> Int32 {
        // First, so no termination signal from here on can lose a result or cut a report.
        let signals = TerminationSignals.shared
        signals.install()

        // Before --resume too: a flag refused or contradicted is refused whatever else is given.
        try command.checkCombinations()
        if let file = command.misc.resume { return await ResumeRun(command: command, file: file).run() }
        let request: ScanRequest
        let statsEvery: Duration?
        do {
            request = try command.makeRequest(defaultTechnique: Scanner.defaultTechnique,
                                              ranking: PortRankingFile.installed())
            statsEvery = try command.statsInterval()
        } catch {
            throw .usage(error.description)
        }
        var outputs: ReportOutputs
        do {
            outputs = try ReportOutputs.open(try OutputPlan.requests(command, raw: .current), table: true,
                                             append: command.output.appendOutput, stop: { signals.received != nil })
        } catch let error as ReportFileError {
            if let signal = signals.received { throw .runtime(error.description, status: 128 + signal) }
            throw error.isUsageError ? .usage(error.description) : .runtime(error.description)
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw .runtime("\(error)")
        }

        let runsTUI = !command.output.noTUI && isatty(STDOUT_FILENO) == 1 && isatty(STDIN_FILENO) == 1
        // Loads while the scan runs: the tables are read only for the report (and the TUI's first frame).
        // A headless ping sweep's report names no port, so nmap's 27,000 names are not read for it.
        let services = request.technique == .ping && !runsTUI
            ? PendingServiceNames { .builtIn } : ServiceDatabase.loadInBackground()
        let start = Date()
        let context: @Sendable (Bool) -> ReportContext = { interrupted in
            var context = ReportContext(version: PortgridCommand.version, arguments: CommandLine.arguments,
                                        start: start, end: Date(), interrupted: interrupted, services: services.names)
            // What merge and --resume read back; a session changed in the TUI records none (see ReportContext).
            context.request = request
            context.verbosity = command.output.verbose
            context.debugging = command.output.debug
            context.showReasons = command.output.reason
            NmapDataFiles.describe(in: &context)
            return context
        }
        // -sV: probing starts as soon as the scan reports an open port (headless), or after a TUI session.
        let detection = (try? command.versionIntensity()).flatMap { $0 }.map { intensity in
            VersionDetectionRun(intensity: intensity, timing: request.timing, verbose: command.verbosity > 0,
                                names: { services.names.name(port: $0, proto: $1) })
        }
        let detectionWatch = detection.map { detection in signals.watch { _ in detection.cancel() } }
        defer { detectionWatch?.cancel() }
        let outcome: RunOutcome
        let stats = statsEvery.map { StatsLines(every: $0, technique: request.technique) }
        // The MAC vendors read for hostgroups already written: the footer speaks for every group.
        var groupVendors = MACVendors()
        if runsTUI {
            var options = TUIOptions(request: request, reportContext: context)
            // Live: the session hands open ports over as they are found and shows what comes back.
            options.detection = detection
            // On the screen's own terminal the lines would tear the screen; the TUI shows progress there.
            if let stats, isatty(STDERR_FILENO) == 0 {
                options.observeScan = { event in stats.line(for: event).map(StandardError.write) }
            }
            do {
                outcome = RunOutcome(try await TUIApp.run(options))
            } catch {
                outputs.discard()
                throw .runtime("\(error)")
            }
        } else {
            var scan = request
            if scan.timing.maxHostgroup == nil { scan.defaultHostgroup = HeadlessRun.defaultHostgroup }
            var run = HeadlessRun(request: scan, verbosity: command.verbosity, stats: stats)
            if let detection { run.onResults = { detection.submitOpen($0) } }
            outcome = await run.run { store, hosts in
                // A finished hostgroup is written out and let go; with -sV once its open ports are
                // identified (the scan waits meanwhile, as nmap's service scan of a hostgroup does).
                do {
                    let group = store.takeHosts(hosts)
                    var groupContext = context(false)
                    NmapDataFiles.describe(in: &groupContext, for: group)
                    groupVendors.merge(groupContext.macVendors)
                    if let detection { groupContext.detected = await detection.identities(of: group) }
                    outputs.write(part: ScanReport(group, interrupted: false, folding: groupContext.folding,
                                                   openOnly: request.openOnly), context: groupContext,
                                  plans: group.plans.isEmpty ? [Self.announcedPlan(request)] : nil)
                }
                // The group's pages go back to the system before the next group fills its own:
                // glibc kept them, and a /15's second half peaked 4 MB over a /16 without this.
                FreeMemory.release()
            }
        }
        var detected: [ServiceKey: ServiceIdentity]?
        // Probing that outlasts the port scan is scanning time too: nmap's "scanned in" counts its
        // service scan, and a report saying 0.01 s for a run that probed a silent port for a minute
        // would mislead.
        var detectionTail = Duration.zero
        if let detection, !outcome.hasNothingToReport {
            if outcome.detectionOn {
                // Open ports the session had not finished probing are probed before the report.
                if outcome.signal == nil, outcome.fromTUI, detection.hasUnfinished(outcome.store) {
                    StandardError.write("portgrid: finishing service detection on the open ports (-sV)...\n")
                }
                let collecting = ContinuousClock.now
                detected = await detection.collect(from: outcome.store)
                detectionTail = ContinuousClock.now - collecting
            } else {
                // Turned off with V: the report keeps what was learned and probes nothing more.
                detected = await detection.learned()
            }
        }

        if let failure = outcome.failure { StandardError.write("portgrid: \(failure)\n") }
        if outcome.hasNothingToReport && !outputs.isWritingParts {
            outputs.discard()
            return outcome.exitStatus(writeFailed: false)
        }
        var reportContext = context(outcome.interrupted)
        NmapDataFiles.describe(in: &reportContext, for: outcome.store)
        reportContext.macVendors.merge(groupVendors)
        reportContext.scanSeconds = outcome.scanSeconds.map { $0 + detectionTail / .seconds(1) }
        reportContext.changes = outcome.changes
        reportContext.detected = detected
        // The heap's free pages (the scan's buffers) go back to the system first: glibc keeps them
        // otherwise. The report is then written host by host (`ReportOutputs.write`): each host's
        // report is made, rendered once per format into every output of it, and dropped.
        FreeMemory.release()
        let report = ScanReport(outcome.store, interrupted: outcome.interrupted, folding: reportContext.folding,
                                openOnly: request.openOnly)
        // After hostgroups written as they finished: what no finished group held (an interrupted
        // group's hosts), then the footers with every group's totals.
        if outputs.isWritingParts, !report.hosts.isEmpty || report.hiddenByOpen > 0 {
            outputs.write(part: report, context: reportContext)
        }
        let failures = outputs.isWritingParts
            ? outputs.finish(context: reportContext, interrupted: outcome.interrupted)
            : outputs.write(report, context: reportContext)
        for failure in failures { StandardError.write("portgrid: \(failure)\n") }
        return outcome.exitStatus(writeFailed: !failures.isEmpty)
    }

    /// The port scan a run makes, as its report's header names it, for a hostgroup written before the
    /// engine announced its plan: a port scan's down hosts go out as its discovery goes.
    static func announcedPlan(_ request: ScanRequest) -> ScanPlan {
        ScanPlan(technique: Scanner.effectiveTechnique(request.technique), hosts: HostList(),
                 ports: request.portSet, timing: request.timing, assumedUp: request.skipDiscovery)
    }
}
