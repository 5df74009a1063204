import Foundation
import PortgridCore
import Testing

/// portgrid's XML against nmap's own XML of the same loopback scan, read by the tools people
/// already use: nmap's `ndiff` must find no host or port difference, and python-libnmap must
/// load both with the same hosts, ports, states, services and folded counts.
/// Loopback only: both scanners probe 127.0.0.1 and nothing else.
@Suite(.serialized)
struct NmapCompatTests {
    @Test(.enabled(if: NmapCompatTools.hasNmapTools, "needs nmap, ndiff, python3 with python-libnmap, and the built portgrid"),
          .timeLimit(.minutes(3)))
    func ndiffAndLibnmapFindNoDifferenceFromNmap() async throws {
        let work = try ScratchDirectory()
        // Open ports that neither nmap nor we can name, so "unknown" is compared with "unknown".
        let listeners = try NmapCompatListeners(count: 5, where: NmapCompatTools.unnamedInBoth)
        defer { listeners.close() }
        // Well-known ports (names from the built-in table must match nmap-services), and a run of
        // unnamed ports long enough that both fold them into a "Not shown" count.
        let wellKnown: [UInt16] = [7, 9, 13, 21, 23, 25, 80, 110, 143, 443, 3306, 5432, 8080]
        let run = try #require(Self.unnamedRun(length: 40))
        let ports = PortSet(ports: listeners.ports + wellKnown + Array(run)).description

        let nmap = try await NmapCompatProcess.run(
            [NmapCompatTools.find("nmap")!, "-n", "-Pn", "-sT", "-p", ports, "-oX", "nmap.xml", "127.0.0.1"], in: work.path)
        #expect(nmap.status == 0, "nmap failed: \(nmap.stderr)")
        let ours = try await NmapCompatProcess.run(
            [NmapCompatTools.portgrid, "-n", "-Pn", "-sT", "-p", ports, "--no-tui", "-oX", "portgrid.xml", "127.0.0.1"],
            in: work.path)
        #expect(ours.status == 0, "portgrid failed: \(ours.stderr)")
        try #require(FileManager.default.fileExists(atPath: work.path + "/portgrid.xml"), "portgrid wrote no XML")

        let ndiff = try await NmapCompatProcess.run(
            [NmapCompatTools.find("ndiff")!, "nmap.xml", "portgrid.xml"], in: work.path, timeout: .seconds(60))
        // The first two lines are the banners (scanner, version, start time, command line): they
        // differ by design. Every other +/- line is a host or port difference.
        let differences = ndiff.stdout.split(separator: "\n").dropFirst(2)
            .filter { $0.hasPrefix("-") || $0.hasPrefix("+") }
        #expect(ndiff.status == 0 && differences.isEmpty, "ndiff found differences:\n\(ndiff.stdout)\(ndiff.stderr)")

        let python = try #require(NmapCompatTools.pythonWithLibnmap)
        let libnmap = try await NmapCompatProcess.run(
            [python, "-c", Self.libnmapView, "nmap.xml", "portgrid.xml"], in: work.path, timeout: .seconds(60))
        #expect(libnmap.status == 0, "python-libnmap sees different scans:\n\(libnmap.stdout)\(libnmap.stderr)")
        // And it saw the listeners open in our file: the comparison is not between two empty reports.
        let ourView = libnmap.stdout.split(separator: "\n").last.map(String.init) ?? ""
        for port in listeners.ports {
            #expect(ourView.contains("[\(port), \"tcp\", \"open\", \"\"]"), "port \(port) not open in \(ourView)")
        }
    }

    /// Both files through libnmap's NmapParser; prints each view and exits 1 when they differ.
    static let libnmapView = """
    import json, sys
    from libnmap.parser import NmapParser
    def view(path):
        report = NmapParser.parse_fromfile(path)
        hosts = {}
        for host in report.hosts:
            extra = host.extraports_state or {}
            hosts[host.address] = {
                "status": host.status,
                "ports": sorted([s.port, s.protocol, s.state, s.service] for s in host.services),
                "extraports": [extra.get("state", {}).get("state"), extra.get("state", {}).get("count")],
            }
        return {"hosts_total": report.hosts_total, "hosts_up": report.hosts_up, "hosts": hosts}
    a, b = view(sys.argv[1]), view(sys.argv[2])
    print(json.dumps(a, sort_keys=True))
    print(json.dumps(b, sort_keys=True))
    sys.exit(0 if a == b else 1)
    """

    /// `length` consecutive ports that neither nmap-services nor our table names.
    static func unnamedRun(length: Int) -> ClosedRange<UInt16>? {
        var start: UInt16 = 40000
        var port: UInt16 = 40000
        while port < 60000 {
            if !NmapCompatTools.unnamedInBoth(port) { start = port + 1 }
            if Int(port) - Int(start) + 1 == length { return start...port }
            port += 1
        }
        return nil
    }
}
