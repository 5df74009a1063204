import PortgridCore
import Testing

/// Without -Pn a port scan first finds which hosts are up and scans only those, as nmap does.
@Suite("host discovery before a port scan, on the namespace testbed", .needsTestbed)
struct DiscoveryTests {
    @Test("the default discovery skips a silent host and scans the live one exactly", arguments: [Technique.syn, .connect])
    func skipsSilentHost(technique: Technique) async throws {
        let layout = TestbedLayout.sweep
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan([technique.flag, "-n", "-p", ports.spec, "198.18.0.2-3"])
            #expect(run.status == 0, "\(run.summary)")
            let report = try run.report()
            #expect(report.upHosts == ["198.18.0.2"], "\(run.summary)")
            let live = try #require(report.host("198.18.0.2"), "\(run.summary)")
            #expect(live.mismatches(against: layout.expectations(technique, host: "198.18.0.2", ports: ports)) == [])
            if let silent = report.host("198.18.0.3") {
                #expect(silent.status != "up")
                #expect(silent.ports.isEmpty && silent.extraports.isEmpty, "a host found down must not be port-scanned")
            }
        }
    }
}
