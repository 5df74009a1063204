import Foundation
import Testing

/// Issue 13's done-when: nmap and portgrid run with the same flags on the namespace testbed, every
/// output at once (-oN, -oG, -oX), and the outputs are compared as nmap's own tools would take them:
/// the XML validates against nmap.dtd (with the scanner name swapped here, in the test only) and
/// xsltproc renders it through nmap.xsl; the normal and grepable texts match nmap's line for line
/// apart from the program name, version, times and latency figures (NmapOutputText.normalized).
///
/// Both scanners write to the same paths (nmap's files are moved aside before portgrid runs), so the
/// command lines they record are the same words. Every run is inside the scanner namespace, which
/// has no route out; the only reverse-DNS lookups are of testbed addresses, which have no name.
@Suite(.serialized)
struct NmapOutputTestbedTests {
    /// One scan, its flags and targets as both scanners are given them (the test puts the output
    /// flags between them: nmap records its options before its targets, whatever the order typed).
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var flags: [String]
        var targets: [String]
        var testDescription: String { name }
    }

    /// The standard services with more ports dropped and rejected (so a state folds with two reasons),
    /// on a host one hop away: nmap would find a host on the scanner's own link by ARP (and print its
    /// MAC address), which portgrid does not do; across the gateway both scanners ping alike.
    static let layout: TestbedLayout = {
        var layout = TestbedLayout.standard
        layout.hosts = [.live(live)]
        layout.gateway = "198.18.0.254"
        layout.tcp.dropped = TestbedPorts(1000...1039)
        layout.tcp.rejected = TestbedPorts(7000...7029)
        return layout
    }()

    static let live = "198.18.1.2"
    /// Routed like the live host, held by nobody: it never answers.
    static let down = "198.18.1.5"

    static let scenarios: [Scenario] = [
        // Reasons with TTLs, user-set, and a "Not shown" line of three (state, reason) entries.
        Scenario(name: "SYN scan with --reason and -Pn",
                 flags: ["-sS", "-Pn", "-n", "--reason", "-p", "1-30,80,443,1000-1039,7000-7029,8080"], targets: [live]),
        // -v: a down host listed first, "# Ports scanned", 50 ports a state listed; reverse DNS on.
        Scenario(name: "connect scan with -v of a live and a down host",
                 flags: ["-sT", "-v", "-p", "1-100,443,1000-1039,8080"], targets: [live, down]),
        Scenario(name: "UDP scan",
                 flags: ["-sU", "-n", "-p", "53,123,161,5000-5003,6000-6003,6100-6103,6200-6201,6300-6340"],
                 targets: [live]),
        Scenario(name: "ping sweep with -v and reasons", flags: ["-sn", "-vv", "-n"], targets: [live, down]),
    ]

    static var available: Bool {
        NmapCompatTools.hasPortgrid && NmapCompatTools.find("nmap") != nil && NmapCompatTools.find("xmllint") != nil
            && NmapCompatTools.find("xsltproc") != nil && FileManager.default.fileExists(atPath: NmapOutputText.dtd)
    }

    @Test("nmap's tools take portgrid's XML and its text outputs match nmap's line for line",
          .needsTestbed, .enabled(if: available, "needs nmap (with nmap.dtd), xmllint, xsltproc and the built portgrid"),
          .timeLimit(.minutes(5)), arguments: scenarios)
    func outputsMatchNmaps(_ scenario: Scenario) async throws {
        let work = try ScratchDirectory()
        let outputs = ["-oN", work.path + "/scan.nmap", "-oG", work.path + "/scan.gnmap", "-oX", work.path + "/scan.xml"]
        for side in ["nmap", "portgrid"] {
            try FileManager.default.createDirectory(atPath: work.path + "/" + side, withIntermediateDirectories: true)
        }
        try await Testbed.with(Self.layout) { bed in
            let binary = try TestbedBinary.require()
            for (side, program) in [("nmap", NmapCompatTools.find("nmap")!), ("portgrid", binary)] {
                let run = try await TestbedCommand.output(["ip", "netns", "exec", bed.scanner, program]
                                                          + scenario.flags + outputs + scenario.targets,
                                                          timeout: .seconds(150))
                #expect(run.status == 0, "\(side) failed: \(run.stderr)")
                for name in ["scan.nmap", "scan.gnmap", "scan.xml"] {
                    try FileManager.default.moveItem(atPath: work.path + "/" + name, toPath: work.path + "/\(side)/" + name)
                }
            }
        }
        for name in ["scan.nmap", "scan.gnmap"] {
            let nmap = NmapOutputText.normalized(work.read("nmap/" + name) ?? "", nmap: true)
            let ours = NmapOutputText.normalized(work.read("portgrid/" + name) ?? "", nmap: false)
            #expect(ours == nmap, "\(name) differs from nmap's:\n\(NmapOutputText.difference(nmap, ours))")
        }
        try await checkXML(work.path + "/portgrid/scan.xml", in: work.path)
        // The control: nmap's own XML passes the same checks, so a failure above is ours.
        try await checkXML(work.path + "/nmap/scan.xml", in: work.path)
    }

    /// Valid against nmap.dtd once the scanner is called nmap, and rendered by xsltproc.
    private func checkXML(_ path: String, in directory: String) async throws {
        let text = try #require(FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) })
        #expect(text.contains("<?xml-stylesheet href=\"file:///"), "no stylesheet line in \(path)")
        let swapped = directory + "/swapped.xml"
        try Data(text.replacingOccurrences(of: "scanner=\"portgrid\"", with: "scanner=\"nmap\"").utf8)
            .write(to: URL(fileURLWithPath: swapped))
        let valid = try await NmapCompatProcess.run(
            [NmapCompatTools.find("xmllint")!, "--noout", "--dtdvalid", NmapOutputText.dtd, swapped], in: directory)
        #expect(valid.status == 0, "\(path) is not valid against nmap.dtd:\n\(valid.stderr)")
        let html = try await NmapCompatProcess.run([NmapCompatTools.find("xsltproc")!, path], in: directory)
        #expect(html.status == 0, "xsltproc could not render \(path):\n\(html.stderr)")
        #expect(html.stdout.contains("<html") && html.stdout.contains(Self.live), "no report rendered from \(path)")
    }
}

/// What may differ between nmap's text and ours, made equal: the program and its version, the
/// command's first word (the binary's path), dates and elapsed times, latencies, and the spelling of
/// nmap's data directory.
enum NmapOutputText {
    static let dtd = "/usr/share/nmap/nmap.dtd"

    static func normalized(_ text: String, nmap: Bool) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var line = String(line)
            line = replace(#"^# (Nmap|portgrid) \S+ scan initiated .* as: \S+"#, in: line,
                           with: "# PROGRAM VERSION scan initiated TIME as: PROGRAM")
            line = replace(#"^# (Nmap|portgrid) done at .* -- "#, in: line, with: "# PROGRAM done at TIME -- ")
            line = replace(#"^(Nmap|portgrid) scan report for"#, in: line, with: "PROGRAM scan report for")
            line = replace(#"scanned in [0-9.]+ seconds"#, in: line, with: "scanned in SECONDS seconds")
            line = replace(#"\([0-9.]+s latency\)"#, in: line, with: "(LATENCY latency)")
            line = replace(#"^Read data files from: .*"#, in: line, with: "Read data files from: DIRECTORY")
            return line
        }
    }

    /// The first differing lines, side by side.
    static func difference(_ nmap: [String], _ ours: [String]) -> String {
        var out: [String] = []
        for i in 0..<max(nmap.count, ours.count) where out.count < 10 {
            let left = i < nmap.count ? nmap[i] : "<none>", right = i < ours.count ? ours[i] : "<none>"
            if left != right { out.append("line \(i + 1):\n  nmap:     \(left)\n  portgrid: \(right)") }
        }
        return out.joined(separator: "\n")
    }

    private static func replace(_ pattern: String, in line: String, with replacement: String) -> String {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return line }
        let range = NSRange(line.startIndex..., in: line)
        return regex.stringByReplacingMatches(in: line, range: range, withTemplate: replacement)
    }
}
