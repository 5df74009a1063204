import Foundation
import PortgridCore
@testable import Report
import Testing

/// nmap 7.93's rules for its own formats, as observed from nmap on the testbed (and compared with it
/// in Tests/IntegrationTests/NmapOutputTestbedTests.swift): each rule alone, on the fixture scan.
struct NmapFormatTests {
    static func render(_ format: ReportFormat, verbosity: Int = 0, reasons: Bool = true,
                       store: ResultStore = Fixture.store()) -> String {
        var context = Fixture.context()
        context.verbosity = verbosity
        context.reasons = reasons
        return Report.render(format, store, context: context)
    }

    @Test("the command line is quoted as nmap quotes it: double quotes around white space, \\ and \" escaped")
    func nmapQuoting() {
        #expect(NmapArguments.join(["nmap", "-oN", "a b'c.nmap", "x.xml"]) == #"nmap -oN "a b'c.nmap" x.xml"#)
        #expect(NmapArguments.join(["nmap", #"q"x$y\z"#, "", "p*~!x,=:%@+^"]) == #"nmap q\"x$y\\z  p*~!x,=:%@+^"#)
        #expect(NmapArguments.join(["tab\tx"]) == "\"tab\tx\"")
    }

    @Test("ports of one state are folded above 25, 25 more with each -v, 500 more with each -d, never from -ddd")
    func foldingWidensWithVerbosity() {
        #expect(PortFolding.Rule().limit == 25)
        #expect(PortFolding.Rule(verbosity: 1).limit == 50)
        #expect(PortFolding.Rule(verbosity: 2).limit == 75)
        #expect(PortFolding.Rule(debugging: 1).limit == 525)
        #expect(PortFolding.Rule(debugging: 3).limit == nil)
        #expect(PortFolding.Rule(verbosity: 3).folds(.openFiltered, count: 500) == false)
        #expect(PortFolding.Rule(verbosity: 3).folds(.closed, count: 500))
        #expect(PortFolding.Rule(verbosity: 1).folds(.closed, count: 50) == false)
        #expect(PortFolding.Rule(verbosity: 1).folds(.open, count: 5000) == false)
    }

    @Test("-oN writes one Not shown entry per state and reason, and the REASON column only with reasons")
    func normalOutput() {
        let text = Self.render(.normal)
        #expect(text.contains("\nNot shown: 60 filtered tcp ports (no-response), 40 filtered tcp ports (admin-prohibited)\n"))
        #expect(text.contains("25/tcp   filtered smtp       admin-prohibited ttl 63\n"))
        let plain = Self.render(.normal, reasons: false)
        #expect(plain.contains("\nHost is up (0.000090s latency).\n"))
        #expect(!plain.contains("REASON") && !plain.contains("received"))
        #expect(plain.hasSuffix("\n# portgrid done at Mon Nov 23 21:25:48 2026 -- 4 IP addresses (3 hosts up) scanned in 12.35 seconds\n"))
    }

    @Test("down hosts are listed only with -v, first, as nmap reports them after its ping sweep")
    func downHostsWithVerbosity() {
        #expect(!Self.render(.normal).contains("198.18.0.9"))
        #expect(!Self.render(.grepable).contains("198.18.0.9"))
        #expect(!Self.render(.xml).contains("198.18.0.9"))
        let normal = Self.render(.normal, verbosity: 1)
        #expect(normal.split(separator: "\n")[1] == "portgrid scan report for 198.18.0.9 [host down, received no-response]")
        let grepable = Self.render(.grepable, verbosity: 1).split(separator: "\n")
        #expect(grepable[1] == "# Ports scanned: TCP(103;1-100,443,7777,8080) UDP(34;53,123,161,500-530) SCTP(0;) PROTOCOLS(0;)")
        #expect(grepable[2] == "Host: 198.18.0.9 ()\tStatus: Down")
        #expect(Self.render(.xml, verbosity: 1).contains(
            "<host><status state=\"down\" reason=\"no-response\" reason_ttl=\"0\"/>\n<address addr=\"198.18.0.9\" addrtype=\"ipv4\"/>\n</host>\n"))
    }

    @Test("-oG gives Ignored State only when exactly one state was folded")
    func ignoredStateOnlyWhenOne() {
        let lines = Self.render(.grepable).split(separator: "\n")
        // 198.18.0.2 folds closed and open|filtered: no field; 198.18.0.3 folds filtered alone.
        #expect(lines.first { $0.hasPrefix("Host: 198.18.0.2 ()\tPorts:") }?.contains("Ignored State") == false)
        #expect(lines.first { $0.hasPrefix("Host: 198.18.0.3 ()\tPorts:") }?.hasSuffix("\tIgnored State: filtered (100)") == true)
    }

    @Test("the XML carries the verbosity, the stylesheet line, reply TTLs, each host's times and user and PTR names")
    func xmlDetails() {
        var store = Fixture.store()
        store.record(HostResult(address: Fixture.a, status: .up, reason: .echoReply, replyTTL: 61, reverseName: "ptr.test"))
        var context = Fixture.context()
        context.verbosity = 2
        context.stylesheet = "file:///usr/share/nmap/nmap.xsl"
        let text = Report.render(.xml, store, context: context)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n"
                               + "<?xml-stylesheet href=\"file:///usr/share/nmap/nmap.xsl\" type=\"text/xsl\"?>\n"))
        #expect(text.contains("<verbose level=\"2\"/>\n<debugging level=\"0\"/>\n"))
        // The fixture's events arrive a second apart: the connect plan starts at +4 s, 198.18.0.2's last result at +9 s.
        #expect(text.contains("<host starttime=\"1795469140\" endtime=\"1795469145\"><status state=\"up\" reason=\"echo-reply\" reason_ttl=\"61\"/>"))
        #expect(text.contains("<hostname name=\"target.test\" type=\"user\"/>\n<hostname name=\"ptr.test\" type=\"PTR\"/>\n"))
        #expect(text.contains("<state state=\"filtered\" reason=\"admin-prohibited\" reason_ttl=\"63\"/>"))
    }

    @Test("the XML is valid against nmap.dtd once the scanner is named nmap",
          .enabled(if: FileManager.default.fileExists(atPath: "/usr/share/nmap/nmap.dtd")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint"), "needs nmap's DTD and xmllint"))
    func xmlValidatesAgainstNmapsDTD() throws {
        let directory = try TemporaryDirectory()
        for verbosity in [0, 1] {
            var context = Fixture.context()
            context.verbosity = verbosity
            context.stylesheet = "file:///usr/share/nmap/nmap.xsl"
            let text = Report.render(.xml, Fixture.store(), context: context)
                .replacingOccurrences(of: "scanner=\"portgrid\"", with: "scanner=\"nmap\"")
            let path = directory.path + "/scan.xml"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            check.arguments = ["--noout", "--dtdvalid", "/usr/share/nmap/nmap.dtd", path]
            try check.run()
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "-v \(verbosity): not valid against nmap.dtd")
        }
    }
}
