import Foundation
import PortgridCore
import Testing

/// `--max-hostgroup` and `--append-output` on the namespace testbed.
@Suite("host groups and appended outputs, on the namespace testbed", .needsTestbed)
struct HostgroupTestbedTests {
    /// Two live hosts whose probed ports are all dropped: each host's scan lasts its retries' timeouts.
    static let twoHosts = TestbedLayout(hosts: [.live("198.18.0.2"), .live("198.18.0.4")],
                                        tcp: TestbedLayout.TCPServices(open: [22], dropped: TestbedPorts(1000...1009)))

    @Test("--max-hostgroup 1 scans the second host only after the first one's every probe, writes the first out before the second is done, and finds the same ports")
    func groupsScanOneAfterAnother() async throws {
        try await Testbed.with(Self.twoHosts) { bed in
            // Counters the target keeps per host: what each has received of the probes so far.
            try TestbedCommand.run(["ip", "netns", "exec", bed.target, "nft", "-f", "-"], stdin: """
                table inet pgcount {
                  chain input {
                    type filter hook input priority -10; policy accept;
                    ip daddr 198.18.0.2 tcp dport 1000-1009 counter
                    ip daddr 198.18.0.4 tcp dport 1000-1009 counter
                  }
                }

                """)
            // Each group waits at least a second for its dropped ports (--min-rtt-timeout), so the target's
            // counters, read every 40 ms or so (slower on a loaded machine), see the first group alone:
            // on a fast scan both groups came and went between two readings.
            // Each group is written out when it is done: an appended -oN file (written in place)
            // shows the first host's block while the second host is scanned.
            let work = try ScratchDirectory()
            let normal = work.path + "/scan.nmap"
            let arguments = ["-sS", "-Pn", "-n", "-p", "22,1000-1009", "--max-retries", "1", "--max-hostgroup", "1",
                             "--min-rtt-timeout", "1s", "198.18.0.2,4", "-oN", normal, "--append-output"]
            // Whenever the second host has seen a probe, the first has seen all of its own.
            var snapshots: [(first: Int, second: Int)] = []
            var written: [String] = []
            let run = try await bed.scan(arguments) {
                if let counts = try? Self.counts(bed) { snapshots.append(counts) }
                if let text = try? String(contentsOfFile: normal, encoding: .utf8) { written.append(text) }
            }
            #expect(run.status == 0, "\(run.summary)")
            let final = try Self.counts(bed)
            #expect(final.first >= 10 && final.first == final.second, "each host gets every port's tries: \(final)")
            let overlapping = snapshots.filter { $0.second > 0 && $0.first < final.first }
            #expect(overlapping.isEmpty, "the groups overlapped: \(overlapping)")
            #expect(snapshots.contains { $0.first > 0 && $0.second == 0 }, "the first group was seen alone: \(snapshots)")
            let report = try run.report()
            for host in ["198.18.0.2", "198.18.0.4"] {
                let found = try #require(report.host(host), "\(run.summary)")
                #expect(found.ports[TestbedPortKey(proto: .tcp, port: 22)]?.state == .open, "\(host): \(run.summary)")
            }
            let first = "portgrid scan report for 198.18.0.2", second = "portgrid scan report for 198.18.0.4"
            #expect(written.contains { $0.contains(first) && !$0.contains(second) },
                    "the first group was in the file while the second scanned: \(written.count) readings")
            let file = try String(contentsOfFile: normal, encoding: .utf8)
            #expect(file.components(separatedBy: first).count == 2 && file.components(separatedBy: second).count == 2,
                    "each host once: \(file)")
            #expect(file.contains("-- 2 IP addresses (2 hosts up) scanned in"), "the footer counts both groups: \(file)")
        }
    }

    @Test("without -Pn, discovery goes group by group too, and the port scan finds every live host's ports; a dead address is reported down")
    func discoveryInGroups() async throws {
        try await Testbed.with(Self.twoHosts) { bed in
            let work = try ScratchDirectory()
            let xml = work.path + "/scan.xml", grepable = work.path + "/scan.gnmap"
            // 198.18.0.3 is on the link and answers nothing: found down by the second group's sweep,
            // and written out then, before the port scan's plan is announced.
            let run = try await bed.scan(["-sS", "-n", "-p", "22", "--max-hostgroup", "1", "-v", "198.18.0.2-4",
                                          "-oX", xml, "-oG", grepable])
            #expect(run.status == 0, "\(run.summary)")
            let report = try run.report()
            for host in ["198.18.0.2", "198.18.0.4"] {
                let found = try #require(report.host(host), "\(run.summary)")
                #expect(found.ports[TestbedPortKey(proto: .tcp, port: 22)]?.state == .open, "\(host): \(run.summary)")
            }
            #expect(report.host("198.18.0.3")?.status == "down", "\(run.summary)")
            // The headers still name the scan, and nmap's order (the down host first) holds.
            let document = try String(contentsOfFile: xml, encoding: .utf8)
            #expect(document.components(separatedBy: "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"1\" services=\"22\"/>").count == 2,
                    "\(document)")
            let down = try #require(document.range(of: "<address addr=\"198.18.0.3\""), "\(document)")
            let up = try #require(document.range(of: "<address addr=\"198.18.0.2\""), "\(document)")
            #expect(down.lowerBound < up.lowerBound, "\(document)")
            #expect(document.hasSuffix("</nmaprun>\n"))
            let lines = try String(contentsOfFile: grepable, encoding: .utf8)
            #expect(lines.contains("# Ports scanned: TCP(1;22) UDP(0;) SCTP(0;) PROTOCOLS(0;)"), "\(lines)")
            #expect(lines.contains("Host: 198.18.0.3 ()\tStatus: Down"), "\(lines)")
        }
    }

    @Test("without --max-hostgroup, a port scan of a /15 with discovery goes in the run's default groups and its report is whole: every address once, every live host's port, one header, the footer counting all")
    func defaultGroupsScannedWhole() async throws {
        try await Testbed.with(Self.twoHosts) { bed in
            // The upper /16 is addresses the target's kernel answers for; the lower is routed to it and
            // dropped there, but for the link's /24, where 198.18.0.2 and .4 live and the rest is silent.
            try TestbedCommand.run(["ip", "-n", bed.target, "route", "add", "local", "198.19.0.0/16", "dev", "lo"])
            try TestbedCommand.run(["ip", "-n", bed.scanner, "route", "add", "198.18.0.0/15", "via", "198.18.0.2"])
            let work = try ScratchDirectory()
            let grepable = work.path + "/scan.gnmap", xml = work.path + "/scan.xml"
            let run = try await bed.scan(["-sS", "-n", "-p", "22", "-T4", "-v", "198.18.0.0/15", "-oG", grepable, "-oX", xml],
                                         timeout: .seconds(300))
            #expect(run.status == 0, "\(run.summary.prefix(2000))")
            let lines = try String(contentsOfFile: grepable, encoding: .utf8).split(separator: "\n")
            var status: [Substring: Int] = [:], up = 0, ported = 0
            for line in lines where line.hasPrefix("Host: ") {
                let address = line.dropFirst(6).prefix { $0 != " " }
                if line.contains("\tStatus: ") {
                    status[address, default: 0] += 1
                    if line.hasSuffix("Status: Up") { up += 1 }
                } else if line.contains("\tPorts: 22/open/") || line.contains("\tPorts: 22/closed/") {
                    ported += 1
                }
            }
            #expect(status.count == 131_072 && status.values.allSatisfy { $0 == 1 }, "every address once: \(status.count)")
            // The upper /16, the two testbed hosts and the scanner's own address on the link.
            #expect(up == 65_539 && ported == up, "up \(up), with port 22 answered \(ported)")
            #expect(lines.last?.contains("131072 IP addresses (65539 hosts up) scanned in") == true, "\(lines.suffix(1))")
            let document = try String(contentsOfFile: xml, encoding: .utf8)
            #expect(document.components(separatedBy: "<scaninfo type=\"syn\"").count == 2, "one header")
            #expect(document.hasSuffix("</nmaprun>\n"))
        }
    }

    /// The two counters' packet counts, in rule order.
    private static func counts(_ bed: Testbed) throws -> (first: Int, second: Int) {
        let listed = try TestbedCommand.run(["ip", "netns", "exec", bed.target, "nft", "list", "table", "inet", "pgcount"])
        let numbers = listed.stdout.components(separatedBy: "counter packets ").dropFirst()
            .compactMap { Int($0.prefix { $0.isNumber }) }
        guard numbers.count == 2 else { throw TestbedError.reportUnreadable("nft counters", text: listed.stdout) }
        return (numbers[0], numbers[1])
    }

    @Test("--append-output adds each run's -oN, -oG and -oX document to the files; without it a run replaces them")
    func appendOutput() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let work = try ScratchDirectory()
            let normal = work.path + "/scan.nmap", grepable = work.path + "/scan.gnmap", xml = work.path + "/scan.xml"
            let outputs = ["-oN", normal, "-oG", grepable, "-oX", xml]
            func documents(_ path: String, _ marker: String) throws -> Int {
                try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: marker).count - 1
            }
            for _ in 0..<2 {
                let run = try await bed.scan(["-sT", "-Pn", "-n", "-p", "22", layout.primary, "--append-output"] + outputs)
                #expect(run.status == 0, "\(run.summary)")
            }
            #expect(try documents(normal, "scan initiated") == 2)
            #expect(try documents(normal, "22/tcp open") == 2)
            #expect(try documents(grepable, "scan initiated") == 2)
            #expect(try documents(xml, "<?xml ") == 2, "nmap appends a second XML document, and so does portgrid")
            #expect(try documents(xml, "</nmaprun>") == 2)
            let replaced = try await bed.scan(["-sT", "-Pn", "-n", "-p", "22", layout.primary] + outputs)
            #expect(replaced.status == 0, "\(replaced.summary)")
            #expect(try documents(normal, "scan initiated") == 1)
            #expect(try documents(xml, "<?xml ") == 1)
        }
    }
}
