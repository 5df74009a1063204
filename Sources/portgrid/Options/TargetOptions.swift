import ArgumentParser

/// TARGET SPECIFICATION: where the targets come from besides the arguments, and what is left out.
struct TargetOptions: ParsableArguments {
    @Option(name: .customLong("iL", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("Read targets from FILE ('-' = standard input): whitespace-separated, # starts a comment.",
                               valueName: "FILE"),
            completion: .file())
    var inputList: String?
    @Option(name: .customLong("exclude"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Targets to leave out (comma list; repeatable).", valueName: "HOSTS"))
    var exclude: [String] = []
    @Option(name: .customLong("excludefile"), parsing: .unconditional,
            help: ArgumentHelp("Leave out the targets listed in FILE (as -iL reads them).", valueName: "FILE"),
            completion: .file())
    var excludeFile: String?
}
