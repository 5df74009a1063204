import PortgridCore
import Testing

/// `-sn` on the namespace testbed: ICMP echo finds exactly the live hosts.
@Suite("ping sweep (-sn) on the namespace testbed", .needsTestbed)
struct PingTests {
    @Test("live hosts up by echo-reply; a firewalled host and addresses with no host are not up")
    func upSetIsExact() async throws {
        let layout = TestbedLayout.sweep
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sn", "-n", TestbedLayout.sweepRange])
            #expect(run.status == 0, "\(run.summary)")
            let report = try run.report()
            #expect(report.upHosts == Set(layout.liveHosts), "\(run.summary)")
            for address in layout.liveHosts {
                #expect(report.host(address)?.reason == "echo-reply", "\(address)")
            }
            #expect(report.hosts.allSatisfy { $0.ports.isEmpty && $0.extraports.isEmpty }, "a ping sweep scans no ports")
        }
    }

    @Test("a /24 with a few live hosts: the up set is exact")
    func wholeBlock() async throws {
        var layout = TestbedLayout.sweep
        layout.hosts += [.live("198.18.0.77"), .live("198.18.0.200")]
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sn", "-n", "198.18.0.0/24", "--exclude", layout.scannerAddress])
            #expect(run.status == 0, "\(run.summary)")
            #expect(try run.report().upHosts == Set(layout.liveHosts), "\(run.summary)")
        }
    }
}
