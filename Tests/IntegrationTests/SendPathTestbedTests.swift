import PortgridCore
import Testing

/// How raw IPv4 probes leave (`--send-eth`, `--send-ip`) on the namespace testbed. Frames and IP
/// packets are the same bytes on the wire; what tells the paths apart is the scanner's own IP
/// output hook, which every IP packet passes and no frame does. nft counters there and in the
/// target namespace show which path the probes took and that they arrived.
@Suite("Ethernet frames and IP packets on the namespace testbed", .needsTestbed)
struct SendPathTestbedTests {
    let layout = TestbedLayout.standard

    /// SYNs through the scanner namespace's IP output hook so far.
    func outputSYNs(_ bed: Testbed) throws -> Int {
        let listed = try TestbedCommand.run(["ip", "netns", "exec", bed.scanner, "nft", "list", "counter", "inet",
                                             "pgout", "syn"]).stdout
        let words = listed.split(whereSeparator: \.isWhitespace)
        return try #require(words.firstIndex(of: "packets").flatMap { Int(words[$0 + 1]) })
    }

    func exact(_ run: TestbedRun, _ ports: TestbedPorts) throws {
        #expect(run.status == 0, "\(run.summary)")
        let report = try #require(try run.report().host(layout.primary), "\(run.summary)")
        #expect(report.mismatches(against: layout.expectations(.syn, host: layout.primary, ports: ports)) == [],
                "\(run.summary)")
    }

    @Test("IPv4 probes leave as frames to the target's MAC, skipping the scanner's IP output path, with the same exact states as --send-ip, which sends every one through it")
    func framesAndIPPackets() async throws {
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            try TestbedCommand.run(["ip", "netns", "exec", bed.scanner, "nft", "-f", "-"], stdin: """
                table inet pgout {
                  counter syn { }
                  chain out { type filter hook output priority 0; tcp flags syn counter name syn; }
                }
                """)
            let link = try TestbedCommand.run(["ip", "-n", bed.target, "-o", "link", "show", "pgt0"]).stdout
            let words = link.split(whereSeparator: \.isWhitespace)
            let mac = try #require(words.firstIndex(of: "link/ether").map { String(words[$0 + 1]) }, "\(link)")
            let counters = try TestbedCounters(bed, ["toTarget": "ether daddr \(mac) tcp flags syn",
                                                     "other": "ether daddr != \(mac) tcp flags syn"])
            // The first scan meets a neighbour the kernel does not know yet: its first probes go as
            // IP packets while the kernel resolves it, the rest as frames.
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "-p", ports.spec, layout.primary]), ports)
            let known = try outputSYNs(bed)
            #expect(known < ports.count, "most of the first scan's probes were frames")
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "--send-eth", "-p", ports.spec, layout.primary]), ports)
            #expect(try outputSYNs(bed) == known, "with the neighbour known every probe is a frame")
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "--send-ip", "-p", ports.spec, layout.primary]), ports)
            let afterIP = try outputSYNs(bed)
            #expect(afterIP >= known + ports.count, "--send-ip sends every probe as an IP packet")
            #expect(try counters.packets("toTarget") >= 3 * ports.count)
            #expect(try counters.packets("other") == 0)
            // -e names the link: still frames, still exact.
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "-e", "pgs0", "-p", ports.spec, layout.primary]), ports)
            #expect(try outputSYNs(bed) == afterIP)
        }
    }

    @Test("--send-eth with -e naming an Ethernet link is accepted; on loopback it is one line, exit 64")
    func refusals() async throws {
        try await Testbed.with(layout) { bed in
            let loopback = try await bed.scan(["-sS", "-Pn", "-n", "--send-eth", "-e", "lo", "-p", "22", layout.primary])
            #expect(loopback.status == 64, "\(loopback.summary)")
            let lines = loopback.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.contains("--send-eth") == true, "\(loopback.stderr)")
            let link = try await bed.scan(["-sS", "-Pn", "-n", "--send-eth", "-e", "pgs0", "-p", "22", layout.primary])
            #expect(link.status == 0, "\(link.summary)")
        }
    }
}
