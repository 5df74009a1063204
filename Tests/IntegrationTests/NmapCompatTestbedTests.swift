import Foundation
import Testing

/// The same comparison as NmapCompatTests, on the namespace testbed, where ports are not only
/// open and closed: dropped ports (filtered, no-response) and ICMP admin-prohibited rejects
/// (filtered) too, and more closed ports than nmap lists. nmap and portgrid both run inside the
/// scanner namespace, which has no route out.
@Suite(.serialized)
struct NmapCompatTestbedTests {
    @Test(.needsTestbed,
          .enabled(if: NmapCompatTools.hasNmapTools, "needs nmap, ndiff, python3 with python-libnmap, and the built portgrid"),
          .timeLimit(.minutes(5)))
    func ndiffAndLibnmapFindNoDifferenceOnTheTestbed() async throws {
        let layout = TestbedLayout.standard
        let work = try ScratchDirectory()
        let ports = (layout.tcpProbePorts + TestbedPorts(1...100)).spec
        try await Testbed.with(layout) { bed in
            let nmap = try await TestbedCommand.output(
                ["ip", "netns", "exec", bed.scanner, NmapCompatTools.find("nmap")!, "-n", "-Pn", "-sT", "-p", ports,
                 "-oX", work.path + "/nmap.xml", layout.primary], timeout: .seconds(180))
            #expect(nmap.status == 0, "nmap failed: \(nmap.stderr)")
            let ours = try await bed.scan(["-sT", "-Pn", "-n", "-p", ports, "-oX", work.path + "/portgrid.xml", layout.primary])
            #expect(ours.status == 0, "\(ours.summary)")
        }
        let check = try await NmapCompatCheck.run(nmapXML: "nmap.xml", ourXML: "portgrid.xml", in: work.path)
        #expect(check.ndiffStatus == 0 && check.ndiffDifferences.isEmpty, "ndiff found differences:\n\(check.ndiffOutput)")
        #expect(check.libnmapAgrees, "python-libnmap sees different scans:\n\(check.libnmapOutput)")
        // Every kind of port was in the comparison.
        for state in ["\"open\"", "\"filtered\"", "\"closed\""] {
            #expect(check.ourView.contains(state), "no \(state) port in \(check.ourView)")
        }
    }
}
