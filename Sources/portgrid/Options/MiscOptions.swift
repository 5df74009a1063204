import ArgumentParser

/// MISC: address family, version, and portgrid's own distribution and resume flags.
struct MiscOptions: ParsableArguments {
    @Flag(name: .customShort("6"), help: "IPv6 scanning: names are scanned at their IPv6 address; IPv4 targets are refused.")
    var ipv6 = false
    @Flag(name: .customShort("V"), help: "Print the version and exit (as --version).")
    var showVersion = false
    @Option(name: .customLong("shard"), parsing: .unconditional,
            help: ArgumentHelp("I/N: scan the I-th of N slices of the probe order.", valueName: "I/N"))
    var shard: String?
    @Option(name: .customLong("seed"), parsing: .unconditional,
            help: ArgumentHelp("Seed of the probe order (default random; --shard needs one).", valueName: "N"))
    var seed: String?
    @Option(name: .customLong("resume"),
            help: ArgumentHelp("Continue the interrupted scan a JSON or XML report (-oJ, -oX) describes.", valueName: "FILE"),
            completion: .file(extensions: ["json", "xml"]))
    var resume: String?
}
