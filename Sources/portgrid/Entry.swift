import ArgumentParser
import Glibc

/// The process's front door: parse, run, exit once with the status `run()` threw. Parse and usage
/// errors print one line (ArgumentParser's usage block would bury it); `--help` and `--version` in full.
@main
enum Entry {
    static func main() async {
        var status: Int32 = 0
        do {
            var command = try PortgridCommand.parse(Array(CommandLine.arguments.dropFirst()))
            try await command.run()
        } catch {
            let code = PortgridCommand.exitCode(for: error)
            if code == .success && !(error is ExitCode) {
                print(PortgridCommand.fullMessage(for: error))
            } else if let line = PortgridCommand.message(for: error).split(separator: "\n").first {
                StandardError.write("portgrid: \(line)\n")
            }
            status = code.rawValue
        }
        fflush(nil)
        exit(status)
    }
}
