import Glibc
import PortgridCore
import Testing

/// `-sT` on the namespace testbed: every port's state and reason, asserted exactly.
@Suite("connect scan (-sT) on the namespace testbed", .needsTestbed)
struct ConnectTests {
    @Test("open, refused, dropped and admin-prohibited ports, over IPv4 and IPv6: open/syn-ack, closed/conn-refused, filtered/no-response, filtered/admin-prohibited")
    func everyKindOfPort() async throws {
        let layout = TestbedLayout.standard
        try await Testbed.with(layout) { bed in
            for host in try await Self.scanBothFamilies(bed, ports: layout.tcpProbePorts) {
                #expect(host.status == "up")
                #expect(host.ports.values.allSatisfy { $0.technique == "connect" })
            }
        }
    }

    @Test("-p- of a host with 50 open and 1,000 dropped ports: every open port, no false open, dropped filtered, the rest closed")
    func allPorts() async throws {
        let layout = TestbedLayout.wide
        try await Testbed.with(layout) { bed in
            let run = try await bed.scan(["-sT", "-Pn", "-n", "-p-", "-T4", layout.primary], timeout: .seconds(600))
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(layout.primary), "\(run.summary)")
            let open = Set(host.ports.filter { $0.value.state == .open }.map(\.key.port))
            #expect(open == Set(layout.tcp.open.sorted))
            #expect(host.mismatches(against: layout.expectations(.connect, host: layout.primary, ports: .all)) == [])
        }
    }

    @Test("several hosts in one scan: a silent (firewalled) host is all filtered, live hosts exact")
    func liveAndSilentHosts() async throws {
        let layout = TestbedLayout.sweep
        try await Testbed.with(layout) { bed in
            let ports = layout.tcpProbePorts
            let run = try await bed.scan(["-sT", "-Pn", "-n", "-p", ports.spec, "198.18.0.2-4"])
            #expect(run.status == 0, "\(run.summary)")
            let report = try run.report()
            for address in ["198.18.0.2", "198.18.0.3", "198.18.0.4"] {
                let host = try #require(report.host(address), "\(address) missing: \(run.summary)")
                #expect(host.mismatches(against: layout.expectations(.connect, host: address, ports: ports)) == [],
                        "\(address)")
            }
        }
    }

    @Test("every ICMP destination-unreachable code (0, 1, 2, 3, 9, 10, 13), and every ICMPv6 one over the IPv6 twin, marks a port filtered, with that code's reason")
    func everyUnreachableCode() async throws {
        let layout = TestbedLayout.unreachables
        try await Testbed.with(layout) { bed in
            _ = try await Self.scanBothFamilies(bed, ports: layout.unreachablePorts.tcp + [22, 23])
        }
    }

    /// On a bare veth pair the reply to a connect's SYN is handled inside the connect call: an ICMP
    /// unreachable finds the socket held and only leaves a soft error, the connect going on. On a
    /// real link it comes later and closes the socket (port-unreachable then reads ECONNREFUSED, as a
    /// RST does). Each end's receive steered to another core makes the testbed's replies come later too.
    @Test("ICMP unreachables handled after the connect call returned, as on a real link, close the socket and still read filtered with their code's reason, never closed",
          .enabled(if: sysconf(Int32(_SC_NPROCESSORS_ONLN)) >= 2,
                   "needs two cores: each end's receive goes to core 1 while the scanner runs on core 0"))
    func unreachablesAfterTheCall() async throws {
        var layout = TestbedLayout.unreachables
        layout.receiveOnAnotherCore = true
        try await Testbed.with(layout) { bed in
            _ = try await Self.scanBothFamilies(bed, ports: layout.unreachablePorts.tcp + [22, 23])
            // The arrangement did what it says: the kernel counts each ICMP error that found its
            // socket held by a call (every one of them on the bare pair).
            let errors = layout.unreachablePorts.tcp.count * 2
            let held = try bed.scannerCounter(tcpExt: "LockDroppedIcmps")
            #expect(held < errors / 2, "\(held) of \(errors) ICMP errors came while the connect call held the socket")
        }
    }

    /// `-sT` of `ports` on the layout's primary host, then on its IPv6 twin (ICMPv6's codes and
    /// errors): each run exits 0 and every port has the state and reason the layout gives it. The
    /// two hosts' reports, for a test's further checks.
    static func scanBothFamilies(_ bed: Testbed, ports: TestbedPorts) async throws -> [TestbedHostReport] {
        var hosts: [TestbedHostReport] = []
        for address in [bed.layout.primary, bed.layout.primary6] {
            let run = try await bed.scan(["-sT", "-Pn", "-n", "-p", ports.spec, address])
            #expect(run.status == 0, "\(run.summary)")
            let host = try #require(try run.report().host(address), "\(run.summary)")
            #expect(host.mismatches(against: bed.layout.expectations(.connect, host: address, ports: ports)) == [],
                    "\(address)")
            hosts.append(host)
        }
        return hosts
    }
}
