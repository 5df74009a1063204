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

    @Test("-PS22 and -PA22 find a host that drops pings, 80 and 443, which the default probes miss",
          arguments: [Technique.syn, .connect])
    func chosenProbesFindAPinglessHost(technique: Technique) async throws {
        let layout = TestbedLayout.pingless
        try await Testbed.with(layout) { bed in
            let missed = try await bed.scan([technique.flag, "-n", "-p", "22", layout.primary])
            #expect(try missed.report().upHosts.isEmpty, "the default probes all go unanswered: \(missed.summary)")
            for probe in ["-PS22", "-PA22", "-PS 22,8080"] {
                let run = try await bed.scan([technique.flag, "-n", "-p", "22"] + probe.split(separator: " ").map(String.init)
                                             + [layout.primary])
                #expect(run.status == 0, "\(run.summary)")
                let host = try #require(try run.report().host(layout.primary), "\(probe): \(run.summary)")
                #expect(host.status == "up", "\(probe): \(run.summary)")
                #expect(host.ports[TestbedPortKey(proto: .tcp, port: 22)]?.state == .open, "\(probe): \(run.summary)")
            }
            if technique == .connect {
                // Without raw sockets the TCP probes become connects to the same ports, as in nmap.
                let run = try await bed.scan(["-sT", "-n", "-p", "22", "-PS22", layout.primary], withoutRawSockets: true)
                #expect(try run.report().host(layout.primary)?.status == "up", "\(run.summary)")
            }
        }
    }
}

/// `-PU` and `-PP`: UDP and ICMP timestamp discovery find a host that drops echo requests and the
/// default TCP probes, as nmap's do, with nmap's reasons.
@Suite("UDP and ICMP timestamp discovery, on the namespace testbed", .needsTestbed)
struct UDPAndTimestampDiscoveryTests {
    @Test("-PU finds a host that drops pings and TCP probes: by port unreachable from its default port 40125, by a reply from an answering port")
    func udpDiscovery() async throws {
        let layout = TestbedLayout.udpOnly
        try await Testbed.with(layout) { bed in
            let missed = try await bed.scan(["-sn", "-n", layout.primary])
            #expect(try missed.report().upHosts.isEmpty, "the default probes all go unanswered: \(missed.summary)")
            for (probe, reason) in [(["-PU"], "port-unreach"), (["-PU5000"], "udp-response"), (["-PU", "5000"], "udp-response")] {
                let run = try await bed.scan(["-sn", "-n"] + probe + [layout.primary])
                #expect(run.status == 0, "\(probe): \(run.summary)")
                let host = try #require(try run.report().host(layout.primary), "\(probe): \(run.summary)")
                #expect(host.status == "up", "\(probe): \(run.summary)")
                #expect(host.reason == reason, "\(probe): \(run.summary)")
            }
            // Over IPv6 too: the ICMPv6 port unreachable proves the twin up.
            let six = try await bed.scan(["-sn", "-n", "-6", "-PU", layout.primary6])
            #expect(six.status == 0, "\(six.summary)")
            #expect(try six.report().host(layout.primary6)?.status == "up", "\(six.summary)")
            // Then the port scan runs on the host found up.
            let scanned = try await bed.scan(["-sS", "-n", "-p", "22", "-PU", layout.primary])
            #expect(try scanned.report().host(layout.primary)?.ports[TestbedPortKey(proto: .tcp, port: 22)]?.state == .open,
                    "\(scanned.summary)")
        }
    }

    @Test("-PP finds a host that drops echo requests by its timestamp reply; -PP with -6 is refused in one line")
    func timestampDiscovery() async throws {
        let layout = TestbedLayout.udpOnly
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sn", "-n", "-PP", layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            #expect(host.status == "up", "\(run.summary)")
            #expect(host.reason == "timestamp-reply", "\(run.summary)")
            let refused = try await bed.scan(["-sn", "-n", "-6", "-PP", layout.primary6])
            #expect(refused.status == 64, "\(refused.summary)")
            #expect(refused.stderr.contains("-PP: ICMP timestamp discovery is only valid for IPv4"), "\(refused.summary)")
        }
    }
}

/// A sweep sends each host its probes one walk of the hosts apart (`PassScheduler.settlesHost`): a
/// host that answered the echo is not sent the TCP probes, one that did not gets them, and either
/// way its round trip is timed from the probe it answered.
@Suite("the ping sweep's probes one after another, on the namespace testbed", .needsTestbed)
struct SweepWaveTests {
    /// 4,096 addresses the target's kernel answers for (a local route), routed to it from the scanner.
    static let block = "198.19.0.0/20"
    /// The half of `block` whose echo requests the target drops.
    static let pingless = "198.19.8.0/21"

    @Test("a sweep of 4,096 hosts sends the TCP probes only to the half that drops pings, finds all, and times every one")
    func tcpProbesGoOnlyToHostsThatDropPings() async throws {
        let layout = TestbedLayout.sweep
        try await Testbed.with(layout) { bed in
            try TestbedCommand.run(["ip", "-n", bed.target, "route", "add", "local", Self.block, "dev", "lo"])
            try TestbedCommand.run(["ip", "-n", bed.scanner, "route", "add", Self.block, "via", "198.18.0.2"])
            try TestbedCommand.run(["ip", "netns", "exec", bed.target, "nft", "insert", "rule", "inet",
                                    TestbedFirewall.table, "input", "ip", "daddr", Self.pingless, "icmp", "type",
                                    "echo-request", "drop"])
            let counters = try TestbedCounters(bed, ["echo": "ip daddr \(Self.block) icmp type echo-request",
                                                     "syn": "ip daddr \(Self.block) tcp dport 443 tcp flags syn",
                                                     "ack": "ip daddr \(Self.block) tcp dport 80 tcp flags ack"])
            let run = try await bed.scan(["-sn", "-n", Self.block])
            #expect(run.status == 0, "\(run.summary)")
            let report = try run.report()
            #expect(report.upHosts.count == 4096, "\(run.summary)")
            let untimed = report.hosts.filter { $0.status == "up" && $0.rttMilliseconds == nil }.map(\.address)
            #expect(untimed.isEmpty, "every host's round trip is timed from the probe it answered: \(untimed.prefix(5))")
            let byEcho = report.hosts.filter { $0.reason == "echo-reply" }.count
            #expect(byEcho == 2048, "the half that answers pings is found by them")
            // Every host is sent the echo; the pingless half the SYN and the ACK as well; of the other
            // half only a host whose echo reply had not come back when its SYN's turn came.
            #expect(try counters.packets("echo") >= 4096)
            let syn = try counters.packets("syn"), ack = try counters.packets("ack")
            #expect(syn >= 2048 && syn < 2048 + 1024, "SYNs to 443: \(syn)")
            #expect(ack < 1024, "ACKs to 80: \(ack)")
        }
    }
}
