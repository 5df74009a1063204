import PortgridCore
import Testing

/// `-sU` (raw ICMP receive) on the namespace testbed: any UDP reply open, ICMP port-unreachable closed,
/// other ICMP unreachable filtered, silence open|filtered.
@Suite("UDP scan (-sU) on the namespace testbed", .needsTestbed)
struct UdpTests {
    @Test("echo and DNS responders open/udp-response, silent and dropped open|filtered/no-response, rejected filtered/admin-prohibited, unbound closed/port-unreach")
    func everyKindOfPort() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.udpProbePorts
            let run = try await bed.scan(["-sU", "-Pn", "-n", "-p", ports.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.udp, host: layout.primary, ports: ports)) == [])
            #expect(host.ports.values.allSatisfy { $0.technique == "udp" })
        }
    }

    @Test("DNS on 53 answers the engine's query: open/udp-response, service domain")
    func dnsAnswers() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sU", "-Pn", "-n", "-p", "53", layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            let dns = try #require(host.ports[TestbedPortKey(proto: .udp, port: 53)], "53/udp not listed: \(run.summary)")
            #expect(dns.state == .open)
            #expect(dns.reason == .udpResponse)
        }
    }

    @Test("with the kernel's default ICMP rate limits the engine paces itself: closed ports still closed/port-unreach")
    func pacesToRateLimitedICMP() async throws {
        let layout = TestbedLayout.rateLimited
        try await Testbed.with(layout) { bed in
            let ports = layout.udpProbePorts
            let run = try await bed.scan(["-sU", "-Pn", "-n", "-p", ports.spec, layout.primary], timeout: .seconds(300))
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.udp, host: layout.primary, ports: ports)) == [])
        }
    }

    @Test("ICMP port-unreachable is closed; every other unreachable code (0, 1, 2, 9, 10, 13) is filtered with its reason")
    func everyUnreachableCode() async throws {
        let layout = TestbedLayout.unreachables
        try await Testbed.with(layout) { bed in
            let ports = layout.unreachablePorts.udp + [5000, 6300]
            let run = try await bed.scan(["-sU", "-Pn", "-n", "-p", ports.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.udp, host: layout.primary, ports: ports)) == [])
        }
    }
}
