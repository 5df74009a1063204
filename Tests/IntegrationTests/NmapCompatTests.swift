import Foundation
import PortgridCore
import Testing

/// portgrid's XML against nmap's own XML of the same loopback scan, read by the tools people
/// already use: nmap's `ndiff` must find no host or port difference, and python-libnmap must
/// load both with the same hosts, ports, states, services and folded counts.
/// Loopback only: both scanners probe one address of 127.0.0.0/8 and nothing else.
@Suite(.serialized)
struct NmapCompatTests {
    @Test(.enabled(if: NmapCompatTools.hasNmapTools, "needs nmap, ndiff, python3 with python-libnmap, and the built portgrid"),
          .timeLimit(.minutes(3)))
    func ndiffAndLibnmapFindNoDifferenceFromNmap() async throws {
        let work = try ScratchDirectory()
        // Open ports that neither nmap nor we can name, so "unknown" is compared with "unknown".
        // On an address of our own in 127/8: another test's listeners on 127.0.0.1 cannot come and go
        // between the two scans.
        let address = NmapCompatListeners.privateLoopbackAddress()
        let listeners = try NmapCompatListeners(count: 5, address: address, where: NmapCompatTools.unnamedInBoth)
        defer { listeners.close() }
        // Well-known ports (names from the built-in table must match nmap-services), and a run of
        // unnamed ports long enough that both fold them into a "Not shown" count.
        let wellKnown: [UInt16] = [7, 9, 13, 21, 23, 25, 80, 110, 143, 443, 3306, 5432, 8080]
        let run = try #require(Self.unnamedRun(length: 40))
        let ports = PortSet(ports: listeners.ports + wellKnown + Array(run)).description

        let nmap = try await NmapCompatProcess.run(
            [NmapCompatTools.find("nmap")!, "-n", "-Pn", "-sT", "-p", ports, "-oX", "nmap.xml", address], in: work.path)
        #expect(nmap.status == 0, "nmap failed: \(nmap.stderr)")
        let ours = try await NmapCompatProcess.run(
            [NmapCompatTools.portgrid, "-n", "-Pn", "-sT", "-p", ports, "--no-tui", "-oX", "portgrid.xml", address],
            in: work.path)
        #expect(ours.status == 0, "portgrid failed: \(ours.stderr)")
        try #require(FileManager.default.fileExists(atPath: work.path + "/portgrid.xml"), "portgrid wrote no XML")

        let check = try await NmapCompatCheck.run(nmapXML: "nmap.xml", ourXML: "portgrid.xml", in: work.path)
        #expect(check.ndiffStatus == 0 && check.ndiffDifferences.isEmpty, "ndiff found differences:\n\(check.ndiffOutput)")
        #expect(check.libnmapAgrees, "python-libnmap sees different scans:\n\(check.libnmapOutput)")
        // libnmap saw the listeners open in our file: the comparison is not between two empty reports.
        for port in listeners.ports {
            #expect(check.ourView.contains("[\(port), \"tcp\", \"open\", \"\"]"), "port \(port) not open in \(check.ourView)")
        }
        #expect(check.ourView.contains("\"extraports\": [\"closed\""), "the closed run was not folded: \(check.ourView)")
    }

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
