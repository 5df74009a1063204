import Foundation
import PortgridCore
import Testing
@testable import portgrid

/// What the command says about itself: `--help` in nmap's sections with examples at the end,
/// `-V`, the completion scripts, the shipped man page, and the port ranking beside nmap's own.
@Suite("the command's help, man page and nmap's port ranking")
struct CommandLineDocsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func portgrid(_ arguments: [String]) throws -> CommandOutput {
        try TestbedCommand.run([try TestbedBinary.require()] + arguments, timeout: .seconds(60), check: false)
    }

    @Test("--help lists the options in nmap's sections, in nmap's order, and ends with examples")
    func helpSections() throws {
        let help = try portgrid(["--help"])
        #expect(help.status == 0)
        let titles = ["TARGET SPECIFICATION:", "HOST DISCOVERY:", "SCAN TECHNIQUES:", "PORT SPECIFICATION AND SCAN ORDER:",
                      "SERVICE/VERSION DETECTION:", "TIMING AND PERFORMANCE:", "FIREWALL/IDS EVASION AND SPOOFING:",
                      "OUTPUT:", "MISC:", "EXAMPLES:"]
        let positions = titles.map { help.stdout.range(of: "\n" + $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(zip(titles, positions).filter { $0.1 == nil }.map(\.0))")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "sections in nmap's order, examples last")
        #expect(help.stdout.contains("-iL <FILE>") && help.stdout.contains("--min-rate <N>"))
    }

    @Test("-V prints the version and exits 0, as --version does")
    func version() throws {
        let short = try portgrid(["-V"]), long = try portgrid(["--version"])
        #expect(short.status == 0 && short.stdout == long.stdout && short.stdout.contains(PortgridCommand.version))
    }

    @Test("the completion scripts complete file names after -oX and the templates after -T")
    func completions() throws {
        let bash = try portgrid(["--generate-completion-script", "bash"]).stdout
        #expect(bash.contains("'-oX')\n        __portgrid_add_completions -o plusdirs -fX '!*.@(xml)'"))
        #expect(bash.contains("'-oN')\n        __portgrid_add_completions -f"))
        #expect(bash.contains("'-T')\n        __portgrid_add_completions -W '0'$'\\n''1'"))
        let zsh = try portgrid(["--generate-completion-script", "zsh"]).stdout
        #expect(zsh.contains("'-iL[") && zsh.contains(":FILE:_files"))
    }

    @Test("the shipped man page (docs/portgrid.1) is the one the current definitions make")
    func manPageIsCurrent() throws {
        let dump = try portgrid(["--experimental-dump-help"])
        #expect(dump.status == 0)
        let page = try ManPage.render(dumpJSON: Data(dump.stdout.utf8))
        let path = Self.repository.appendingPathComponent("docs/portgrid.1")
        if ProcessInfo.processInfo.environment["PORTGRID_RECORD_MANPAGE"] == "1" {
            try page.write(to: path, atomically: true, encoding: .utf8)
        }
        let shipped = try String(contentsOf: path, encoding: .utf8)
        #expect(shipped == page, "docs/portgrid.1 is stale: PORTGRID_RECORD_MANPAGE=1 swift test --filter CommandLineDocsTests")
        for section in ["TARGET SPECIFICATION", "TIMING AND PERFORMANCE", "EXAMPLES"] {
            #expect(shipped.contains(".Sh \"\(section)\"") || shipped.contains(".Sh \(section)"))
        }
    }

    @Test("every option that takes a value is one NmapSpellings leaves its value to")
    func spellingsKnowEveryValueOption() throws {
        let dump = try portgrid(["--experimental-dump-help"])
        let arguments = try JSONDecoder().decode(ManPage.Dump.self, from: Data(dump.stdout.utf8)).command.arguments ?? []
        var spellings: Set<String> = []
        for argument in arguments where argument.kind == "option" {
            for name in argument.names ?? [] {
                spellings.insert(name.kind == "long" ? "--\(name.name)" : "-\(name.name)")
            }
        }
        let expected = spellings.subtracting(NmapSpellings.joinedPortFlags)
        #expect(expected == NmapSpellings.valueOptions)
    }

    /// nmap's list for `--top-ports N`, read off its grepable header: a connect scan of 127.0.0.1
    /// with no retries, the one safe way to ask nmap without scanning anything else.
    static func nmapTopPorts(_ count: Int, udp: Bool = false) throws -> PortSet? {
        guard let nmap = NmapCompatTools.find("nmap") else { return nil }
        let run = try TestbedCommand.run([nmap, "-v", "-oG", "-", "--top-ports", "\(count)", udp ? "-sU" : "-sT",
                                          "127.0.0.1", "-n", "-Pn", "--max-retries", "0"], timeout: .seconds(120))
        let proto = udp ? "UDP" : "TCP"
        guard let line = run.stdout.split(separator: "\n").first(where: { $0.hasPrefix("# Ports scanned:") }),
              let open = line.range(of: "\(proto)(\(count);"),
              let close = line[open.upperBound...].firstIndex(of: ")") else { return nil }
        return try PortList(parsing: String(line[open.upperBound..<close])).tcp
    }

    @Test("with nmap-services installed, --top-ports 1000 and -F rank exactly nmap's ports",
          .enabled(if: NmapCompatTools.find("nmap") != nil && PortRankingFile.installed().source != "built-in"))
    func rankingMatchesNmap() throws {
        let ranking = PortRankingFile.installed()
        for count in [1000, 100, 10] {
            let nmap = try #require(try Self.nmapTopPorts(count))
            #expect(ranking.top(count).tcp == nmap, "--top-ports \(count)")
        }
    }

    @Test("as root, the top UDP ports match nmap's too", .needsRoot,
          .enabled(if: NmapCompatTools.find("nmap") != nil && PortRankingFile.installed().source != "built-in"))
    func udpRankingMatchesNmap() throws {
        let nmap = try #require(try Self.nmapTopPorts(100, udp: true))
        #expect(PortRankingFile.installed().top(100).udp == nmap)
    }

    @Test("the binary's default scan is nmap's 1,000 ports", .enabled(if: NmapCompatTools.find("nmap") != nil
          && PortRankingFile.installed().source != "built-in"))
    func binaryScansNmapsPorts() throws {
        let scan = try portgrid(["-sT", "-Pn", "-n", "--no-tui", "--max-retries", "0", "-oX", "-", "127.0.0.1"])
        let nmap = try #require(try Self.nmapTopPorts(1000))
        guard let attribute = scan.stdout.range(of: " services=\""),
              let end = scan.stdout[attribute.upperBound...].firstIndex(of: "\"") else {
            Issue.record("no scaninfo services in the XML: \(scan.stderr)")
            return
        }
        #expect(try PortList(parsing: String(scan.stdout[attribute.upperBound..<end])).tcp == nmap)
    }
}

/// The target-file flags end to end: the binary reads the list (a file, or standard input) and
/// leaves out what --excludefile names. Only 127/8 is named, and -sn probes nothing there (this
/// machine's addresses are up by "localhost-response").
@Suite("target files end to end")
struct TargetFileTests {
    @Test("-iL - reads targets from standard input; --excludefile leaves out the ones it lists")
    func listsFromStdinAndFiles() throws {
        let skip = NSTemporaryDirectory() + "pg-skip-\(getpid()).txt"
        try "127.0.0.3 # not this one\n".write(toFile: skip, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: skip) }
        let run = try TestbedCommand.run([try TestbedBinary.require(), "-sn", "-n", "--no-tui", "-oJ", "-", "-iL", "-",
                                          "--excludefile", skip],
                                         stdin: "127.0.0.2\n# a comment\n127.0.0.3 127.0.0.4\n", timeout: .seconds(60), check: false)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try TestbedReport.parse(run.stdout)
        #expect(Set(report.hosts.map(\.address)) == ["127.0.0.2", "127.0.0.4"])
    }
}
