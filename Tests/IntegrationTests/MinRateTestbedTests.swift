import PortgridCore
import Testing

/// `--min-rate` on the namespace testbed: a target whose ICMP errors the kernel rate-limits (one a
/// second after a burst of six) makes the UDP scan pace itself to the limiter; the floor holds the
/// scan at the rate asked for instead, as nmap's does (ports then read open|filtered sooner).
@Suite("--min-rate on the namespace testbed", .needsTestbed)
struct MinRateTestbedTests {
    @Test("a UDP scan of 300 ports on a host with the kernel's ICMP limit runs at the --min-rate floor, not the limiter's pace")
    func floorHoldsAgainstTheLimiter() async throws {
        let layout = TestbedLayout.rateLimited
        try await Testbed.with(layout) { bed in
            // Closed in the layout: paced to one error a second these would take five minutes.
            let ports = TestbedPorts(7000...7299)
            let run = try await bed.scan(["-sU", "-Pn", "-n", "--max-retries", "1", "--min-rate", "200",
                                          "-p", ports.spec, layout.primary], timeout: .seconds(90))
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            let listed = host.ports.keys.filter { $0.proto == .udp }.count
            let folded = host.extraports.filter { $0.proto == .udp }.reduce(0) { $0 + $1.count }
            #expect(listed + folded == 300, "every port has a state: \(run.summary)")
            // 300 ports, a retry each at most: 600 probes at 200 a second is 3 s; the passes' waits
            // and the pacer's measuring add a few more. The limiter's pace would be 300 s.
            #expect(run.elapsed < .seconds(30), "\(run.summary)")
        }
    }
}
