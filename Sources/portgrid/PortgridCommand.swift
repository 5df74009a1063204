import ArgumentParser
import PortgridCore

/// The command line, in nmap's spelling so people's habits work: `-sS`, `-p-`, `-T4`, `-Pn`, `-oX`.
/// Every option that takes a value reads the next word whatever it looks like (`parsing: .unconditional`),
/// so `--max-rate -5` is refused for its value, not misread as a missing one.
struct PortgridCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "portgrid",
        abstract: "Interactive terminal port scanner: a live host list and port grid, nmap's states and output formats.",
        discussion: """
        Targets: 198.18.0.2, 198.18.0.0/24, 198.18.0.1-20, 198.18.0-1.1-254, host names, ::1, fd00::/120.
        Ports: 22, 22,80,443, 1-1024, - (all), U:53,T:22,80. Default: the 1,000 most common ports.
        Times: 500ms, 30s, 5m, 2h; a bare number is seconds.
        With no target, scans 127.0.0.1. Runs the TUI when stdout is a terminal, headless otherwise.
        Exit codes: 0 done, 1 runtime failure (scan failed, an output could not be opened or written),
        64 usage error, 128+N ended by signal N (129 SIGHUP, 130 SIGINT or Ctrl-C, 143 SIGTERM; the
        results found are still written).
        """,
        version: version
    )

    @Argument(help: "Targets: addresses, ranges, CIDR blocks, host names (default 127.0.0.1).")
    var targets: [String] = []

    // Techniques
    @Flag(name: .customLong("sS", withSingleDash: true), help: "TCP SYN (half-open) scan; needs CAP_NET_RAW.")
    var syn = false
    @Flag(name: .customLong("sT", withSingleDash: true), help: "TCP connect scan.")
    var connect = false
    @Flag(name: .customLong("sU", withSingleDash: true), help: "UDP scan with protocol payloads; needs CAP_NET_RAW.")
    var udp = false
    @Flag(name: .customLong("sF", withSingleDash: true), help: "TCP FIN scan.")
    var fin = false
    @Flag(name: .customLong("sN", withSingleDash: true), help: "TCP NULL scan.")
    var null = false
    @Flag(name: .customLong("sX", withSingleDash: true), help: "TCP Xmas scan.")
    var xmas = false
    @Flag(name: .customLong("sA", withSingleDash: true), help: "TCP ACK scan (firewall mapping).")
    var ack = false
    @Flag(name: .customLong("sn", withSingleDash: true), help: "Ping sweep only: find live hosts, no port scan.")
    var pingOnly = false

    // Service and version detection (VersionOptions.swift reads these)
    @Flag(name: .customLong("sV", withSingleDash: true), help: "Detect the service and version on each open port.")
    var versionDetection = false
    @Option(name: .customLong("version-intensity"), help: "With -sV: probes to try, 0 (fewest) to 9 (all). Default 7.")
    var versionIntensityText: String?
    @Flag(name: .customLong("version-light"), help: "With -sV: intensity 2 (fast, the likely probes only).")
    var versionLight = false
    @Flag(name: .customLong("version-all"), help: "With -sV: intensity 9 (every probe).")
    var versionAll = false

    // Range
    @Option(name: .customShort("p", allowingJoined: true), parsing: .unconditional, help: "Ports: 22,80 | 1-1024 | - | U:53,T:22.")
    var ports: String?
    @Option(name: .customLong("top-ports"), parsing: .unconditional, help: "Scan the N most common ports (1-65535).")
    var topPorts: String?
    @Option(name: .customLong("exclude"), parsing: .unconditionalSingleValue, help: "Targets to leave out (comma list).")
    var exclude: [String] = []

    // Timing
    @Option(name: .customShort("T", allowingJoined: true), parsing: .unconditional, help: "Timing template 0-5 (paranoid..insane). Default 3.")
    var timing: String?
    @Option(name: .customLong("min-rate"), parsing: .unconditional, help: "Send at least this many probes per second (0.001-100000000).")
    var minRate: String?
    @Option(name: .customLong("max-rate"), parsing: .unconditional, help: "Send at most this many probes per second (0.001-100000000).")
    var maxRate: String?
    @Option(name: .customLong("max-retries"), parsing: .unconditional, help: "Retransmissions per probe at most (0-50).")
    var maxRetries: String?
    @Option(name: .customLong("host-timeout"), parsing: .unconditional, help: "Give up on a host after this long (30s, 5m; 0 = never).")
    var hostTimeout: String?
    @Option(name: .customLong("stats-every"), parsing: .unconditional, help: "A progress line on stderr this often (5s, 1m): headless, or with stderr away from the TUI's terminal.")
    var statsEvery: String?

    // Discovery and names
    @Flag(name: .customShort("6"), help: "IPv6 only, as nmap -6: names resolve to IPv6; the default target is ::1.")
    var ipv6Only = false
    @Flag(name: .customLong("Pn", withSingleDash: true), help: "Treat all hosts as up: skip the ping sweep.")
    var skipDiscovery = false
    @Flag(name: .customShort("n"), help: "Never do reverse DNS.")
    var noDNS = false
    @Flag(name: .customShort("R"), help: "Always do reverse DNS.")
    var alwaysDNS = false

    // Output
    @Option(name: .customLong("oN", withSingleDash: true), parsing: .unconditional, help: "Normal output to FILE ('-' = stdout).")
    var normalFile: String?
    @Option(name: .customLong("oX", withSingleDash: true), parsing: .unconditional, help: "nmap XML output to FILE.")
    var xmlFile: String?
    @Option(name: .customLong("oG", withSingleDash: true), parsing: .unconditional, help: "Grepable output to FILE.")
    var grepFile: String?
    @Option(name: .customLong("oJ", withSingleDash: true), parsing: .unconditional, help: "JSON output to FILE.")
    var jsonFile: String?
    @Option(name: .customLong("oC", withSingleDash: true), parsing: .unconditional, help: "CSV output to FILE.")
    var csvFile: String?
    @Option(name: .customLong("oM", withSingleDash: true), parsing: .unconditional, help: "Grepable output to FILE (nmap's old name for -oG).")
    var machineFile: String?
    @Option(name: [.customLong("oD", withSingleDash: true), .customLong("markdown")], parsing: .unconditional, help: "Markdown output to FILE.")
    var markdownFile: String?
    @Option(name: .customLong("oA", withSingleDash: true), parsing: .unconditional, help: "BASE.nmap, BASE.xml and BASE.gnmap at once.")
    var allBase: String?
    @Flag(name: .customLong("no-tui"), help: "Headless: progress on stderr, the results table on stdout.")
    var noTUI = false
    @Flag(name: .customLong("reason"), help: "Show why each port has its state (always on; for nmap habits).")
    var reason = false
    @Flag(name: .customShort("v"), help: "More notices on stderr (repeatable).")
    var verbose: Int

    // Distribution and reproducibility
    @Option(name: .customLong("shard"), parsing: .unconditional, help: "I/N: scan the I-th of N slices of the probe order.")
    var shard: String?
    @Option(name: .customLong("seed"), parsing: .unconditional, help: "Seed of the probe order (default random; --shard needs one).")
    var seed: String?
    @Option(name: .customLong("resume"), help: "Continue the interrupted scan a JSON or XML report (-oJ, -oX) describes.")
    var resume: String?

    /// Which technique the flags ask for; nil = the default for our privileges (SYN or connect).
    func chosenTechnique() throws(CommandFailure) -> Technique? {
        let chosen: [(Bool, Technique)] = [(syn, .syn), (connect, .connect), (udp, .udp), (fin, .fin),
                                           (null, .null), (xmas, .xmas), (ack, .ack), (pingOnly, .ping)]
        let picked = chosen.filter(\.0).map(\.1)
        guard picked.count <= 1 else {
            throw .usage("choose one scan technique, not \(picked.map(\.flag).joined(separator: " and "))")
        }
        return picked.first
    }

    /// Flag combinations that cannot mean anything; values are checked by `makeRequest`.
    func checkCombinations() throws(CommandFailure) {
        _ = try chosenTechnique()
        do { _ = try versionIntensity() } catch { throw .usage("\(error)") }
        if noDNS && alwaysDNS { throw .usage("-n and -R contradict each other: choose one") }
        if ports != nil && topPorts != nil { throw .usage("use -p or --top-ports, not both") }
        if pingOnly, let flag = ports != nil ? "-p" : topPorts != nil ? "--top-ports" : nil {
            throw .usage("-sn finds live hosts and scans no ports: drop \(flag), or choose a port scan (-sS, -sT, ...)")
        }
    }

    mutating func run() async throws {
        let status = await Run(command: self).execute()
        throw ExitCode(status)
    }
}
