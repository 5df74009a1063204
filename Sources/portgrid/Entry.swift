import ArgumentParser
import Glibc
import ScanEngine

/// The process's front door: parse, run, exit once with the status `run()` threw. Parse and usage
/// errors print one line (ArgumentParser's usage block would bury it); `--help` and `--version` in full.
@main
enum Entry {
    /// Synchronous on purpose. An async main parks the main thread in dispatch_main(), whose
    /// pthread_exit unwinds the main stack: the unwinder and the binary's unwind tables, about 0.6 MB,
    /// became resident in every run. Here the work runs as a task, which ends the process with
    /// `exit`; the main thread sleeps until then and takes the termination signals (the pool's threads
    /// keep them blocked).
    static func main() {
        FreeMemory.configureAllocator()
        TerminationSignals.unblockInThisThread()
        Task.detached { await run() }
        while true { pause() }
    }

    private static func run() async -> Never {
        // `merge` and `view` work on reports, not scans: chosen by the first word.
        if let status = await Subcommands.run(Array(CommandLine.arguments.dropFirst())) {
            StandardStreams.flush()
            exit(status)
        }
        var status: Int32 = 0
        do {
            var command = try PortgridCommand.parse(NmapSpellings.normalize(Array(CommandLine.arguments.dropFirst())))
            try await command.run()
        } catch {
            let code = PortgridCommand.exitCode(for: error)
            if code == .success && !(error is ExitCode) {
                let message = PortgridCommand.fullMessage(for: error)
                print(message)
                // Help (not --version): nmap's help ends with examples, and so does ours.
                if message.contains("USAGE:") { print(PortgridCommand.examplesHelp) }
            } else if let line = PortgridCommand.message(for: error).split(separator: "\n").first {
                StandardError.write("portgrid: \(line)\n")
            }
            status = code.rawValue
        }
        StandardStreams.flush()
        exit(status)
    }

    /// One line and the usage status, for the report subcommands' own parsers.
    static func usageError(_ message: String) -> Never {
        let line = message.split(separator: "\n").first.map(String.init) ?? message
        StandardError.write("portgrid: \(line)\n")
        exit(ExitCode.validationFailure.rawValue)
    }
}
