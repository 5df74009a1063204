import Foundation
import PortgridCore
import Testing

/// Every raw technique over IPv6 on the namespace testbed, port by port against the same layouts
/// and oracle as IPv4: each target host has its 2001:2::/48 twin on the same veth link, behind the
/// same nftables rules (rejects answered with ICMPv6).
@Suite("IPv6 scans on the namespace testbed", .needsTestbed)
struct IPv6TestbedTests {
    @Test("SYN, FIN, NULL, Xmas and ACK over IPv6 give every port the state and reason they give over IPv4",
          arguments: [Technique.syn, .fin, .null, .xmas, .ack])
    func tcpTechniques(technique: Technique) async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan([technique.flag, "-Pn", "-n", "-p", ports.spec, layout.primary6])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary6), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(technique, host: layout.primary6, ports: ports)) == [])
            #expect(host.ports.values.allSatisfy { $0.technique == technique.rawValue })
        }
    }

    @Test("UDP over IPv6: answers open, ICMPv6 port unreachable closed, silence open|filtered, rejects filtered")
    func udp() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            let ports = layout.udpProbePorts
            let run = try await bed.scan(["-sU", "-Pn", "-n", "-p", "U:" + ports.spec, layout.primary6])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary6), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.udp, host: layout.primary6, ports: ports)) == [])
        }
    }

    @Test("with the kernel's default ICMPv6 rate limit the engine paces itself: closed ports still closed/port-unreach")
    func udpPacesToRateLimitedICMPv6() async throws {
        let layout = TestbedLayout.rateLimited
        try await Testbed.with(layout) { bed in
            let ports = layout.udpProbePorts
            let run = try await bed.scan(["-sU", "-Pn", "-n", "-p", "U:" + ports.spec, layout.primary6],
                                         timeout: .seconds(300))
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary6), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.udp, host: layout.primary6, ports: ports)) == [])
        }
    }

    @Test("every ICMPv6 destination-unreachable code nft sends maps to nmap's state and reason, TCP and UDP")
    func unreachableCodes() async throws {
        let layout = TestbedLayout.unreachables
        let (tcp, udp) = layout.unreachablePorts
        try await Testbed.with(layout) { bed in
            let syn = try await bed.scan(["-sS", "-Pn", "-n", "-p", (tcp + [22]).spec, layout.primary6])
            let synHost = try #require(try syn.report().host(layout.primary6), "\(syn.summary)")
            #expect(synHost.mismatches(against: layout.expectations(.syn, host: layout.primary6, ports: tcp + [22])) == [])
            let udpRun = try await bed.scan(["-sU", "-Pn", "-n", "-p", "U:" + udp.spec, layout.primary6])
            let udpHost = try #require(try udpRun.report().host(layout.primary6), "\(udpRun.summary)")
            #expect(udpHost.mismatches(against: layout.expectations(.udp, host: layout.primary6, ports: udp)) == [])
        }
    }

    @Test("one SYN run over an IPv4 host and its IPv6 twin scans both raw and reports both exactly, XML naming ipv6")
    func mixedFamilies() async throws {
        let layout = TestbedLayout.standard
        let xml = NSTemporaryDirectory() + "pg-v6-mixed-\(getpid()).xml"
        defer { try? FileManager.default.removeItem(atPath: xml) }
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p", ports.spec, layout.primary, layout.primary6,
                                          "-oX", xml])
            #expect(run.status == 0, "\(run.summary)")
            let report = try run.report()
            for address in [layout.primary, layout.primary6] {
                let host = try #require(report.host(address), "\(run.summary)")
                #expect(host.mismatches(against: layout.expectations(.syn, host: address, ports: ports)) == [])
                #expect(host.ports.values.allSatisfy { $0.technique == "syn" })
            }
            let text = try String(contentsOfFile: xml, encoding: .utf8)
            #expect(text.contains("<address addr=\"\(layout.primary6)\" addrtype=\"ipv6\"/>"))
            #expect(text.contains("<address addr=\"\(layout.primary)\" addrtype=\"ipv4\"/>"))
        }
    }

    /// On a directly attached link the kernel solicits each target before our first probe to it
    /// leaves; the advertisement is the first answer, as in nmap's ND ping, so even the firewalled
    /// host is up (it is on the link), and the two absent addresses are down.
    @Test("-sn over IPv6 on the link finds every host there by its neighbour advertisement, and no others")
    func pingSweep() async throws {
        let layout = TestbedLayout.sweep
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sn", "-n"] + (2...6).map { "2001:2::\($0)" })
            #expect(run.status == 0, "\(run.summary)")
            let report = try run.report()
            #expect(report.upHosts == ["2001:2::2", "2001:2::3", "2001:2::4"], "\(run.summary)")
            for live in ["2001:2::2", "2001:2::3", "2001:2::4"] {
                #expect(report.host(live)?.reason == "nd-response", "\(run.summary)")
            }
            #expect(report.host("2001:2::5")?.status == "down" && report.host("2001:2::6")?.status == "down")
        }
    }

    @Test("-p- SYN over IPv6 of a host with 50 open and 1,000 dropped ports: every port exact")
    func allPorts() async throws {
        let layout = TestbedLayout.wide
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sS", "-Pn", "-n", "-p-", "-T4", layout.primary6], timeout: .seconds(600))
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary6), "\(run.summary)")
            #expect(host.mismatches(against: layout.expectations(.syn, host: layout.primary6, ports: .all)) == [])
        }
    }
}
