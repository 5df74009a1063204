import Glibc
import ArgumentParser
import FoundationEssentials

/// `portgrid merge ...` and `portgrid view ...`: commands on reports, not scans. Chosen by the first
/// word, before the scan command's parser sees it (a target named "merge" would need ./merge, as
/// with any command that has subcommands).
enum Subcommands {
    /// The exit status when the arguments name a subcommand, nil otherwise.
    static func run(_ arguments: [String]) async -> Int32? {
        switch arguments.first {
        case "merge": return parse(MergeCommand.self, arguments.dropFirst()).map { $0.runMerge() }
        case "view":
            guard let command = parse(ViewCommand.self, arguments.dropFirst()) else { return nil }
            return await command.runView()
        default: return nil
        }
    }

    private static func parse<C: ParsableCommand>(_ type: C.Type, _ arguments: ArraySlice<String>) -> C? {
        // Asked directly: the parser's own help request renders the root command's help here.
        if arguments.contains(where: { $0 == "-h" || $0 == "--help" }) {
            print(type.helpMessage())
            exit(0)
        }
        do {
            guard let command = try type.parseAsRoot(Array(arguments)) as? C else { return nil }
            return command
        } catch {
            if type.exitCode(for: error) == .success {
                print(type.fullMessage(for: error))
                exit(0)
            }
            Entry.usageError(type.message(for: error))
        }
    }
}
