import PortgridCore
import Testing

/// `--packet-trace` on the namespace testbed: a line for every probe sent and every reply read, in
/// nmap's words, on stdout before the report.
@Suite("--packet-trace, on the namespace testbed", .needsTestbed)
struct PacketTraceTestbedTests {
    static let target = "198.18.0.2"

    /// The trace lines of a run's stdout (the JSON report follows them).
    static func traces(_ run: TestbedRun) -> [String] {
        run.stdout.split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("SENT (") || $0.hasPrefix("RCVD (") || $0.hasPrefix("CONN (") }
    }

    @Test("-sS: a SENT line for every port's SYN and a RCVD line for each answer: SA from open ports, RA from closed ones")
    func synTrace() async throws {
        try await Testbed.with(.standard) { bed in
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p", "22,80,81,1000", "--max-retries", "0", "--packet-trace",
                                          Self.target])
            #expect(run.status == 0, "\(run.summary)")
            let lines = Self.traces(run)
            for port in [22, 80, 81, 1000] {
                #expect(lines.contains { $0.hasPrefix("SENT") && $0.contains(" TCP 198.18.0.1:")
                            && $0.contains(" > \(Self.target):\(port) S ttl=64 id=") && $0.contains("<mss 1460>") },
                        "no SYN to \(port): \(lines)")
            }
            for (port, flags) in [(22, "SA"), (80, "SA"), (81, "RA")] {
                #expect(lines.contains { $0.hasPrefix("RCVD") && $0.contains(" TCP \(Self.target):\(port) > 198.18.0.1:")
                            && $0.contains(" \(flags) ttl=") }, "no \(flags) from \(port): \(lines)")
            }
            #expect(!lines.contains { $0.hasPrefix("RCVD") && $0.contains("\(Self.target):1000 >") }, "1000 is dropped")
            // The report still follows, whole.
            #expect(run.stdout.contains("\"scanner\": \"portgrid\""))
        }
    }

    @Test("-sT: a CONN line when each connect starts and when it ends, with the kernel's words")
    func connectTrace() async throws {
        try await Testbed.with(.standard) { bed in
            let run = try await bed.scan(["-sT", "-Pn", "-n", "-p", "22,81", "--packet-trace", Self.target])
            #expect(run.status == 0, "\(run.summary)")
            let lines = Self.traces(run)
            #expect(lines.contains { $0.contains("CONN (") && $0.hasSuffix("TCP localhost > \(Self.target):22 => Connected") },
                    "\(lines)")
            #expect(lines.contains { $0.hasSuffix("TCP localhost > \(Self.target):81 => Connection refused") }, "\(lines)")
        }
    }

    @Test("discovery probes are traced too: -PU's datagram and the port unreachable, -PP's timestamp request and reply")
    func discoveryTrace() async throws {
        try await Testbed.with(.udpOnly) { bed in
            let run = try await bed.scan(["-sn", "-n", "-PU", "-PP", "--packet-trace", Self.target])
            #expect(run.status == 0, "\(run.summary)")
            let lines = Self.traces(run)
            #expect(lines.contains { $0.hasPrefix("SENT") && $0.contains(" UDP 198.18.0.1:") && $0.contains(" > \(Self.target):40125 ttl=") },
                    "\(lines)")
            #expect(lines.contains { $0.hasPrefix("RCVD") && $0.contains("ICMP [\(Self.target) > 198.18.0.1 Port 40125 unreachable (type=3/code=3)") },
                    "\(lines)")
            #expect(lines.contains { $0.hasPrefix("SENT") && $0.contains("Timestamp request (type=13/code=0)") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("RCVD") && $0.contains("Timestamp reply (type=14/code=0)") }, "\(lines)")
        }
    }
}
