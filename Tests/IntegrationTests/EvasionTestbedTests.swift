import PortgridCore
import Testing

/// `--ttl`, `--badsum`, `-g`, `-S` and `-e` on the namespace testbed (issue 13): the states the
/// scan reports, and nft counters in the target namespace showing what the probes carried.
@Suite("--ttl, --badsum, -g, -S and -e on the namespace testbed", .needsTestbed)
struct EvasionTestbedTests {
    let layout = TestbedLayout.standard

    /// Port -> state for `proto`, folded ports given the state their extraports entry names.
    func states(_ run: TestbedRun, _ ports: TestbedPorts, host address: String,
                proto: TransportProtocol = .tcp) throws -> [UInt16: PortState] {
        let host = try #require(try run.report().host(address), "\(run.summary)")
        let folded = host.extraports.first { $0.proto == proto }?.state
        var states: [UInt16: PortState] = [:]
        for port in ports { states[port] = host.ports[TestbedPortKey(proto: proto, port: port)]?.state ?? folded }
        return states
    }

    func exact(_ run: TestbedRun, _ technique: Technique, _ ports: TestbedPorts, host: String) throws {
        #expect(run.status == 0, "\(run.summary)")
        let report = try #require(try run.report().host(host), "\(run.summary)")
        #expect(report.mismatches(against: layout.expectations(technique, host: host, ports: ports)) == [],
                "\(run.summary)")
    }

    @Test("--ttl 7: exact states, and every SYN reaches the target with TTL 7 (hop limit 7 over IPv6, and from -sT too)")
    func ttl() async throws {
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let counters = try TestbedCounters(bed, ["ttl7": "ip ttl 7 tcp flags syn", "hop7": "ip6 hoplimit 7 tcp flags syn",
                                                     "other": "ip ttl != 7 tcp flags syn"])
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "--ttl", "7", "-p", ports.spec, layout.primary]),
                      .syn, ports, host: layout.primary)
            #expect(try counters.packets("ttl7") >= ports.count)
            #expect(try counters.packets("other") == 0)
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "--ttl", "7", "-p", ports.spec, layout.primary6]),
                      .syn, ports, host: layout.primary6)
            #expect(try counters.packets("hop7") >= ports.count)
            let before = try counters.packets("ttl7")
            try exact(try await bed.scan(["-sT", "-Pn", "-n", "--ttl", "7", "-p", ports.spec, layout.primary]),
                      .connect, ports, host: layout.primary)
            #expect(try counters.packets("ttl7") >= before + ports.count, "the connect scan's SYNs carry IP_TTL")
            #expect(try counters.packets("other") == 0)
        }
    }

    @Test("--badsum: the probes arrive, the target's kernel (and its nft rejects, which check too) drop them: every TCP port filtered, every UDP port open|filtered")
    func badChecksum() async throws {
        try await Testbed.with(layout) { bed in
            let tcp = layout.tcpProbePorts, udp = layout.udpProbePorts
            let counters = try TestbedCounters(bed, ["syn": "tcp flags syn", "udp": "meta l4proto udp"])
            let run = try await bed.scan(["-sS", "-Pn", "-n", "--badsum", "-p", tcp.spec, layout.primary])
            #expect(run.status == 0, "\(run.summary)")
            let tcpStates = try states(run, tcp, host: layout.primary)
            #expect(tcp.allSatisfy { tcpStates[$0] == .filtered }, "\(tcpStates)")
            #expect(try counters.packets("syn") >= tcp.count, "the probes did reach the target")
            let udpRun = try await bed.scan(["-sU", "-Pn", "-n", "--badsum", "-p", "U:" + udp.spec, layout.primary])
            #expect(udpRun.status == 0, "\(udpRun.summary)")
            let udpStates = try states(udpRun, udp, host: layout.primary, proto: .udp)
            // Even the rejected ports: Linux's reject verifies the checksum before it answers.
            #expect(udp.allSatisfy { udpStates[$0] == .openFiltered }, "\(udpStates)")
            #expect(try counters.packets("udp") >= udp.count)
            // Without raw sockets the scan would be a connect scan, whose packets the kernel builds.
            let unprivileged = try await bed.scan(["-Pn", "-n", "--badsum", "-p", "22", layout.primary],
                                                  withoutRawSockets: true)
            #expect(unprivileged.status == 1 && unprivileged.stderr.contains("--badsum"), "\(unprivileged.summary)")
        }
    }

    @Test("without raw sockets -PE pings through the ICMP socket, and with --ttl says that socket cannot carry it")
    func icmpSocketAndPacketFlags() async throws {
        try await Testbed.with(layout) { bed in
            // Unprivileged ICMP sockets for every group in the scanner namespace, as many distributions allow.
            try TestbedCommand.run(["ip", "netns", "exec", bed.scanner, "sysctl", "-q", "-w",
                                    "net.ipv4.ping_group_range=0 2147483647"])
            let plain = try await bed.scan(["-sn", "-PE", "-n", layout.primary], withoutRawSockets: true)
            #expect(plain.status == 0, "\(plain.summary)")
            #expect(try plain.report().upHosts == [layout.primary], "\(plain.summary)")
            let ttl = try await bed.scan(["-sn", "-PE", "-n", "--ttl", "7", layout.primary], withoutRawSockets: true)
            #expect(ttl.status == 1, "\(ttl.summary)")
            #expect(ttl.stderr.contains("-PE without raw sockets pings through the kernel's ICMP socket, which cannot carry --ttl"),
                    "\(ttl.summary)")
        }
    }

    @Test("-g 53: SYN, UDP, IPv6 and connect scans give exact states, and every probe reaches the target from port 53")
    func sourcePort() async throws {
        try await Testbed.with(layout) { bed in
            let tcp = layout.tcpProbePorts, udp = layout.udpProbePorts
            let counters = try TestbedCounters(bed, ["tcp53": "tcp sport 53 tcp flags syn", "tcpOther": "tcp sport != 53 tcp flags syn",
                                                     "udp53": "udp sport 53", "udpOther": "udp sport != 53"])
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "-g", "53", "-p", tcp.spec, layout.primary]),
                      .syn, tcp, host: layout.primary)
            #expect(try counters.packets("tcp53") >= tcp.count)
            try exact(try await bed.scan(["-sU", "-Pn", "-n", "--source-port", "53", "-p", "U:" + udp.spec, layout.primary]),
                      .udp, udp, host: layout.primary)
            #expect(try counters.packets("udp53") >= udp.count)
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "-g", "53", "-p", tcp.spec, layout.primary6]),
                      .syn, tcp, host: layout.primary6)
            try exact(try await bed.scan(["-sT", "-Pn", "-n", "-g", "53", "-p", tcp.spec, layout.primary]),
                      .connect, tcp, host: layout.primary)
            // Host discovery's SYN 443 and ACK 80 leave from port 53 too, and find the host up.
            try exact(try await bed.scan(["-sS", "-n", "-g", "53", "-p", tcp.spec, layout.primary]),
                      .syn, tcp, host: layout.primary)
            #expect(try counters.packets("tcpOther") == 0)
            #expect(try counters.packets("udpOther") == 0)
        }
    }

    @Test("-S with a second address of the scanner: exact states, and the target sees only that source")
    func sourceAddress() async throws {
        try await Testbed.with(layout) { bed in
            try TestbedCommand.run(["ip", "-n", bed.scanner, "addr", "add", "198.18.0.9/24", "dev", "pgs0"])
            let tcp = layout.tcpProbePorts
            let counters = try TestbedCounters(bed, ["from9": "ip saddr 198.18.0.9 tcp flags syn",
                                                     "from1": "ip saddr 198.18.0.1 tcp flags syn"])
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "-S", "198.18.0.9", "-p", tcp.spec, layout.primary]),
                      .syn, tcp, host: layout.primary)
            #expect(try counters.packets("from9") >= tcp.count)
            try exact(try await bed.scan(["-sT", "-Pn", "-n", "-S", "198.18.0.9", "-p", tcp.spec, layout.primary]),
                      .connect, tcp, host: layout.primary)
            #expect(try counters.packets("from1") == 0)
            let mixed = try await bed.scan(["-sS", "-Pn", "-n", "-S", "198.18.0.9", "-p", "22", layout.primary6])
            #expect(mixed.status == 64 && mixed.stderr.contains("-S"), "\(mixed.summary)")
        }
    }

    @Test("-e: the link's interface gives exact states; loopback sends the target nothing; an unknown name is one line, exit 64")
    func interface() async throws {
        try await Testbed.with(layout) { bed in
            let tcp = layout.tcpProbePorts
            let counters = try TestbedCounters(bed, ["syn": "tcp flags syn"])
            try exact(try await bed.scan(["-sS", "-Pn", "-n", "-e", "pgs0", "-p", tcp.spec, layout.primary]),
                      .syn, tcp, host: layout.primary)
            let seen = try counters.packets("syn")
            #expect(seen >= tcp.count)
            let wrong = try await bed.scan(["-sS", "-Pn", "-n", "-e", "lo", "--max-retries", "0", "-p", tcp.spec, layout.primary])
            let wrongStates = try states(wrong, tcp, host: layout.primary)
            #expect(tcp.allSatisfy { wrongStates[$0] == .filtered }, "\(wrong.summary)")
            #expect(try counters.packets("syn") == seen, "probes bound to lo never reach the target")
            let unknown = try await bed.scan(["-sS", "-Pn", "-n", "-e", "pgx9", "-p", "22", layout.primary])
            #expect(unknown.status == 64, "\(unknown.summary)")
            let lines = unknown.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.contains("pgx9") == true, "\(unknown.stderr)")
        }
    }
}
