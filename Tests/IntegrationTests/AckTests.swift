import PortgridCore
import Testing

/// `-sA` (raw) on the namespace testbed: it maps the firewall, not the services. RST means the probe
/// got through (unfiltered, open or closed alike); silence or ICMP unreachable means filtered.
@Suite("ACK scan (-sA) on the namespace testbed", .needsTestbed)
struct AckTests {
    @Test("open and closed ports unfiltered/reset, dropped filtered/no-response, rejected filtered/admin-prohibited")
    func everyKindOfPort() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan(["-sA", "-Pn", "-n", "-p", ports.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.ack, host: layout.primary, ports: ports)) == [])
        }
    }
}
