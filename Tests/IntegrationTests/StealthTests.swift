import PortgridCore
import Testing

/// FIN, NULL and Xmas (raw) on the namespace testbed: RST closed, silence open|filtered, ICMP
/// unreachable filtered. A Linux target ignores these probes on listening ports, so open ports and
/// dropped ports look alike, as nmap documents.
@Suite("FIN, NULL and Xmas scans (-sF -sN -sX) on the namespace testbed", .needsTestbed)
struct StealthTests {
    @Test("closed/reset, open|filtered/no-response (open and dropped), filtered/admin-prohibited",
          arguments: [Technique.fin, .null, .xmas])
    func everyKindOfPort(technique: Technique) async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan([technique.flag, "-Pn", "-n", "-p", ports.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(technique, host: layout.primary, ports: ports)) == [])
            #expect(host.ports.values.allSatisfy { $0.technique == technique.rawValue })
        }
    }

    @Test("under the kernel's ICMP rate limits every admin-prohibited port still ends filtered, port by port",
          arguments: [Technique.fin, .null, .xmas, .ack])
    func rateLimitedRejects(technique: Technique) async throws {
        let layout = TestbedLayout.rateLimitedRejects
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan([technique.flag, "-Pn", "-n", "-p", ports.spec, layout.primary],
                                         timeout: .seconds(300))
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            let expected = layout.expectations(technique, host: layout.primary, ports: ports)
            if technique == .ack {
                // ACK calls silence and an ICMP error alike filtered: a suppressed error changes the
                // reason (no-response, as nmap gives it), never the state. Every port is listed here.
                for (key, want) in expected {
                    #expect(host.ports[key]?.state == want.state, "\(key): expected \(want.state)")
                }
            } else {
                #expect(host.mismatches(against: expected) == [])
            }
        }
    }
}
