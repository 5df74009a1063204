import ArgumentParser
import Glibc

/// The process's front door: parse, run, exit with the status `run()` threw. Parse and usage errors
/// print one line (ArgumentParser's usage block would bury it); `--help` and `--version` print in full.
@main
enum Entry {
    static func main() async {
        do {
            var command = try PortgridCommand.parse(Array(CommandLine.arguments.dropFirst()))
            try await command.run()
            exit(0)
        } catch {
            let code = PortgridCommand.exitCode(for: error)
            if code == .success && !(error is ExitCode) {
                print(PortgridCommand.fullMessage(for: error))
            } else if let line = PortgridCommand.message(for: error).split(separator: "\n").first {
                StandardError.write("portgrid: \(line)\n")
            }
            fflush(nil)
            exit(code.rawValue)
        }
    }
}
