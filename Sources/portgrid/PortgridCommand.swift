import ArgumentParser
import PortgridCore

/// The command line, in nmap's spelling and nmap's help sections, so people's habits work: `-sS`,
/// `-p-`, `-T4`, `-Pn`, `-oX`, `-iL`. Every option that takes a value reads the next word whatever
/// it looks like (`parsing: .unconditional`), so `--max-rate -5` is refused for its value, not
/// misread as a missing one. The groups are the sections of `--help` and of the man page
/// (docs/portgrid.1), both generated from these definitions.
struct PortgridCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "portgrid",
        abstract: "Interactive terminal port scanner: a live host list and port grid, nmap's states and output formats.",
        discussion: """
        Targets: 198.18.0.2, 198.18.0.0/24, 198.18.0.1-20, 198.18.0-1.1-254,
        host names, ::1, fd00::/120; or a file of them with -iL.
        Ports: 22 | 22,80,443 | 1-1024 | - (all) | U:53,T:22,80. Default: the
        1,000 most common (nmap's ranking when nmap-services is installed).
        Times: 500ms, 30s, 5m, 2h; a bare number is seconds.
        With no target, scans 127.0.0.1. Runs the TUI when stdout is a
        terminal, headless otherwise.
        Exit codes: 0 done; 1 runtime failure (scan failed, an output could not
        be opened or written); 64 usage error; 128+N ended by signal N (129
        SIGHUP, 130 SIGINT or Ctrl-C, 143 SIGTERM; the results found are still
        written).
        """,
        version: version
    )

    /// Printed after the option sections of `--help` (as nmap's help ends), and the man page's
    /// EXAMPLES section.
    static let examples: [(command: String, meaning: String)] = [
        ("portgrid 198.18.0.0/24", "the TUI over a /24, the 1,000 most common TCP ports"),
        ("portgrid -sS -p- -T4 --open 198.18.0.2", "every TCP port, only the open ones shown"),
        ("portgrid -sU -F --min-rate 500 198.18.0.2", "the 100 most common UDP ports, at least 500 probes a second"),
        ("portgrid -iL hosts.txt --excludefile skip.txt -oA scan --no-tui", "headless, nmap's three outputs"),
        ("portgrid -sV --top-ports 100 -oX scan.xml 198.18.0.2", "service versions, nmap XML"),
    ]

    static var examplesHelp: String {
        "EXAMPLES:\n" + examples.map { "  \($0.command)\n      \($0.meaning)\n" }.joined()
    }

    @Argument(help: "Targets: addresses, ranges, CIDR blocks, host names (default 127.0.0.1).")
    var targets: [String] = []

    @OptionGroup(title: "TARGET SPECIFICATION") var target: TargetOptions
    @OptionGroup(title: "HOST DISCOVERY") var discovery: DiscoveryOptions
    @OptionGroup(title: "SCAN TECHNIQUES") var technique: TechniqueOptions
    @OptionGroup(title: "PORT SPECIFICATION AND SCAN ORDER") var portOptions: PortOptions
    @OptionGroup(title: "SERVICE/VERSION DETECTION") var versions: VersionOptions
    @OptionGroup(title: "TIMING AND PERFORMANCE") var timing: TimingOptions
    @OptionGroup(title: "FIREWALL/IDS EVASION AND SPOOFING") var evasion: EvasionOptions
    @OptionGroup(title: "OUTPUT") var output: OutputOptions
    @OptionGroup(title: "MISC") var misc: MiscOptions

    /// Notices on stderr: each -v and each -d is one level.
    var verbosity: Int { output.verbose + output.debug }

    /// Which technique the flags ask for; nil = the default for our privileges (SYN or connect).
    func chosenTechnique() throws(CommandFailure) -> Technique? {
        let chosen: [(Bool, Technique)] = [(technique.syn, .syn), (technique.connect, .connect), (technique.udp, .udp),
                                           (technique.fin, .fin), (technique.null, .null), (technique.xmas, .xmas),
                                           (technique.ack, .ack), (discovery.pingOnly, .ping)]
        let picked = chosen.filter(\.0).map(\.1)
        guard picked.count <= 1 else {
            throw .usage("choose one scan technique, not \(picked.map(\.flag).joined(separator: " and "))")
        }
        return picked.first
    }

    /// The version intensity asked for, or nil when `-sV` is off.
    func versionIntensity() throws -> Int? { try versions.intensity(pingOnly: discovery.pingOnly) }

    /// Flag combinations that cannot mean anything, and flags refused outright; values are checked
    /// by `makeRequest`.
    func checkCombinations() throws(CommandFailure) {
        if let refusal = UnsupportedFlags.refusal(self) { throw .usage(refusal) }
        _ = try chosenTechnique()
        do { _ = try versionIntensity() } catch { throw .usage("\(error)") }
        if discovery.noDNS && discovery.alwaysDNS { throw .usage("-n and -R contradict each other: choose one") }
        let portFlags = [(portOptions.ports != nil, "-p"), (portOptions.topPorts != nil, "--top-ports"),
                         (portOptions.fast, "-F")].filter(\.0).map(\.1)
        if portFlags.count > 1 { throw .usage("use one of -p, --top-ports and -F, not \(portFlags.joined(separator: " and "))") }
        if discovery.pingOnly, let flag = portFlags.first ?? (portOptions.excludePorts != nil ? "--exclude-ports" : nil) {
            throw .usage("-sn finds live hosts and scans no ports: drop \(flag), or choose a port scan (-sS, -sT, ...)")
        }
        if evasion.badChecksum, (try? chosenTechnique()) == .connect {
            throw .usage("--badsum needs raw probes: the kernel builds a connect scan's packets (use -sS, or drop --badsum)")
        }
        if evasion.sendEthernet || evasion.sendIP, discovery.skipDiscovery, (try? chosenTechnique()) == .connect {
            let flag = evasion.sendEthernet ? "--send-eth" : "--send-ip"
            throw .usage("\(flag) shapes raw probes, and -sT -Pn sends none (the kernel builds a connect scan's packets): drop \(flag), or use -sS")
        }
        if discovery.skipDiscovery, let flag = DiscoveryProbeFlags.given(self).first {
            throw .usage("-Pn skips host discovery: drop \(flag), or -Pn")
        }
    }

    mutating func run() async throws {
        if misc.showVersion {
            print(Self.version)
            throw ExitCode.success
        }
        let status = await Run(command: self).execute()
        throw ExitCode(status)
    }
}
