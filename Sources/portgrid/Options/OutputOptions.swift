import ArgumentParser

/// OUTPUT: the report files, what they show, and what the run says on stderr.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("oN", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("Normal output to FILE ('-' = stdout).", valueName: "FILE"), completion: .file())
    var normalFile: String?
    @Option(name: .customLong("oX", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("nmap XML output to FILE.", valueName: "FILE"), completion: .file(extensions: ["xml"]))
    var xmlFile: String?
    @Option(name: .customLong("oG", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("Grepable output to FILE.", valueName: "FILE"), completion: .file())
    var grepFile: String?
    @Option(name: .customLong("oJ", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("JSON output to FILE.", valueName: "FILE"), completion: .file(extensions: ["json"]))
    var jsonFile: String?
    @Option(name: .customLong("oC", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("CSV output to FILE.", valueName: "FILE"), completion: .file(extensions: ["csv"]))
    var csvFile: String?
    @Option(name: .customLong("oM", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("Grepable output to FILE (nmap's old name for -oG).", valueName: "FILE"), completion: .file())
    var machineFile: String?
    @Option(name: [.customLong("oD", withSingleDash: true), .customLong("markdown")], parsing: .unconditional,
            help: ArgumentHelp("Markdown output to FILE.", valueName: "FILE"), completion: .file(extensions: ["md"]))
    var markdownFile: String?
    @Option(name: .customLong("oA", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("BASE.nmap, BASE.xml and BASE.gnmap at once.", valueName: "BASE"), completion: .file())
    var allBase: String?
    @Flag(name: .customShort("v"), help: "More notices on stderr (repeatable).")
    var verbose: Int
    @Flag(name: .customShort("d"), help: "Debugging: as -v, one level per -d (repeatable).")
    var debug: Int
    @Flag(name: .customLong("reason"), help: "Show why each port has its state (portgrid always does; nmap only with this flag).")
    var reason = false
    @Flag(name: .customLong("open"), help: "Show only open (or possibly open) ports, and only hosts with some.")
    var openOnly = false
    @Flag(name: .customLong("packet-trace"), help: "Show every packet sent and received, and each connect (-sT), as nmap does: on stdout; in the TUI, in the log panel (L).")
    var packetTrace = false
    @Flag(name: .customLong("append-output"), help: "Append to the output files instead of replacing them (as nmap, even -oX: a second document).")
    var appendOutput = false
    @Option(name: .customLong("stats-every"), parsing: .unconditional,
            help: ArgumentHelp("A progress line on stderr this often (5s, 1m): headless, or with stderr away from the TUI's terminal.",
                               valueName: "TIME"))
    var statsEvery: String?
    @Flag(name: .customLong("no-tui"), help: "Headless: progress on stderr, the results table on stdout.")
    var noTUI = false
}
