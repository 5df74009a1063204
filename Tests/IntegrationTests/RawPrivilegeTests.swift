import PortgridCore
import Testing

/// Raw techniques and privileges (issue 3, "Privileges and defaults"): SYN by default with
/// CAP_NET_RAW; without it SYN falls back to connect with one notice, and UDP says clearly it needs
/// root. Never a crash.
@Suite("raw techniques with and without CAP_NET_RAW, on the namespace testbed", .needsTestbed)
struct RawPrivilegeTests {
    @Test("with CAP_NET_RAW and no technique flag, the scan is a SYN scan")
    func synIsTheDefaultForRoot() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan(["-Pn", "-n", "-p", ports.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.ports.values.allSatisfy { $0.technique == "syn" })
            #expect(host.mismatches(against: layout.expectations(.syn, host: layout.primary, ports: ports)) == [])
        }
    }

    @Test("-sS without CAP_NET_RAW falls back to a connect scan with one notice, results exact")
    func synFallsBackToConnect() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p", ports.spec, layout.primary], withoutRawSockets: true)
            #expect(run.status == 0, "\(run.summary)")
            let notices = run.stderr.split(separator: "\n").filter { $0.lowercased().contains("connect") }
            #expect(notices.count == 1, "one fallback notice on stderr: \(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.ports.values.allSatisfy { $0.technique == "connect" })
            #expect(host.mismatches(against: layout.expectations(.connect, host: layout.primary, ports: ports)) == [])
        }
    }

    @Test("-sU without CAP_NET_RAW fails with one clear line, not a crash")
    func udpNeedsRoot() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sU", "-Pn", "-n", "-p", "53,123", layout.primary], withoutRawSockets: true)
            #expect(run.status != 0 && run.status < 128, "a failure exit, not a signal: \(run.summary)")
            let said = run.stderr.lowercased()
            #expect(said.contains("root") || said.contains("cap_net_raw") || said.contains("privilege"), "\(run.summary)")
        }
    }
}
