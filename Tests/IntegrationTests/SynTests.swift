import PortgridCore
import Testing

/// `-sS` (raw, half-open) on the namespace testbed, issue 3's states: SYN/ACK open, RST closed, nothing
/// filtered, ICMP unreachable filtered.
@Suite("SYN scan (-sS) on the namespace testbed", .needsTestbed)
struct SynTests {
    @Test("open/syn-ack, closed/reset, filtered/no-response, filtered/admin-prohibited")
    func everyKindOfPort() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p", ports.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.syn, host: layout.primary, ports: ports)) == [])
            #expect(host.ports.values.allSatisfy { $0.technique == "syn" })
        }
    }

    @Test("-p- of a host with 50 open and 1,000 dropped ports: identical open, closed and filtered sets")
    func allPorts() async throws {
        let layout = TestbedLayout.wide
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p-", "-T4", layout.primary], timeout: .seconds(600))
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.syn, host: layout.primary, ports: .all)) == [])
        }
    }

    @Test("a SYN scan and a connect scan of the same ports agree on open, closed and filtered")
    func agreesWithConnect() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let syn = try await bed.scan(["-sS", "-Pn", "-n", "-p", ports.spec, layout.primary])
            let connect = try await bed.scan(["-sT", "-Pn", "-n", "-p", ports.spec, layout.primary])
            let synStates = try states(syn, ports: ports, host: layout.primary)
            let connectStates = try states(connect, ports: ports, host: layout.primary)
            #expect(synStates == connectStates, "\(syn.summary)\n\(connect.summary)")
        }
    }

    @Test("the scanner host's own TCP connection to the target keeps working through a SYN scan, and its packets are never taken for replies")
    func kernelTrafficIsNotAReply() async throws {
        var layout = TestbedLayout.standard
        layout.tcp.echo = [9000]
        try await Testbed.with(layout) { bed in
            let client = try bed.holdConnection(to: layout.primary, port: 9000)
            let ports = layout.tcpProbePorts + [9000] + TestbedPorts(8990...8999)
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p", ports.spec, layout.primary])
            let said = client.stop()
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.syn, host: layout.primary, ports: ports)) == [])
            let words = said.split(whereSeparator: \.isWhitespace)
            let exchanges = words.firstIndex(of: "exchanges").flatMap { Int(words[$0 + 1]) } ?? 0
            #expect(exchanges > 0 && said.contains("errors 0"), "the connection was disturbed: \(said)")
        }
    }

    /// Port -> state, with the folded ports given the state their extraports entry names.
    private func states(_ run: TestbedRun, ports: TestbedPorts, host address: String) throws -> [UInt16: String] {
        let host = try #require(try run.report().host(address), "\(run.summary)")
        let folded = host.extraports.first { $0.proto == .tcp }?.state
        var states: [UInt16: String] = [:]
        for port in ports {
            states[port] = (host.ports[TestbedPortKey(proto: .tcp, port: port)]?.state ?? folded)?.rawValue ?? "missing"
        }
        return states
    }

    @Test("every ICMP destination-unreachable code (0, 1, 2, 3, 9, 10, 13) marks a port filtered, with that code's reason")
    func everyUnreachableCode() async throws {
        let layout = TestbedLayout.unreachables
        try await Testbed.with(layout) { bed in
            let ports = layout.unreachablePorts.tcp + [22, 23]
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p", ports.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.syn, host: layout.primary, ports: ports)) == [])
        }
    }
}
