import Foundation
import PortgridCore
import Testing

/// The testbed's own parts: pure pieces without root, and the built network probed without portgrid,
/// so a broken testbed is never mistaken for a broken scanner.
@Suite("the testbed itself")
struct TestbedSelfTests {
    @Test("port sets spell themselves as nmap does")
    func portSpelling() {
        #expect(TestbedPorts([82, 22, 80, 81, 22]).spec == "22,80-82")
        #expect(TestbedPorts(1000...1999).spec == "1000-1999")
        #expect(TestbedPorts.all.spec == "1-65535")
        #expect(TestbedPorts.all.count == 65535)
        #expect(TestbedPorts([65535, 65534]).ranges == [65534...65535])
        #expect(TestbedPorts([5, 9]).contains(9) && !TestbedPorts([5, 9]).contains(7))
    }

    @Test("the firewall drops silent hosts first, then drops and rejects ports per protocol")
    func firewallRules() {
        let rules = TestbedFirewall.ruleset(for: .sweep)
        let lines = rules.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains("ip daddr { 198.18.0.3 } drop"))
        #expect(lines.contains("tcp dport { 1000-1009 } drop"))
        #expect(lines.contains("tcp dport { 7000-7001 } reject with icmp type admin-prohibited"))
        #expect(lines.contains("udp dport { 6100-6103 } drop"))
        #expect(lines.contains("udp dport { 6200-6201 } reject with icmp type admin-prohibited"))
        #expect(lines.firstIndex(of: "ip daddr { 198.18.0.3 } drop")! < lines.firstIndex(of: "tcp dport { 1000-1009 } drop")!)
        let codes = TestbedFirewall.ruleset(for: .unreachables)
        #expect(codes.contains("tcp dport { 7100-7101 } reject with icmp type net-unreachable"))
        #expect(codes.contains("tcp dport { 7160-7161 } reject with icmp type admin-prohibited"))
        #expect(codes.contains("udp dport { 6530-6531 } reject with icmp type port-unreachable"))
        let bare = TestbedFirewall.ruleset(for: TestbedLayout(hosts: [.live("198.18.0.2")]))
        #expect(!bare.contains("drop") && !bare.contains("reject") && bare.contains("policy accept"))
    }

    @Test("the oracle follows nmap's table for every technique")
    func oracle() {
        let layout = TestbedLayout.sweep
        typealias E = TestbedExpectation
        let host = "198.18.0.2"
        #expect(layout.expectations(.connect, host: host, ports: [22, 23, 1000, 7000]).sorted { $0.key < $1.key }.map(\.value)
                == [E(.open, .synAck), E(.closed, .connRefused), E(.filtered, .noResponse), E(.filtered, .adminProhibited)])
        #expect(layout.expectations(.syn, host: host, ports: [22, 23]).sorted { $0.key < $1.key }.map(\.value)
                == [E(.open, .synAck), E(.closed, .reset)])
        #expect(layout.expectations(.xmas, host: host, ports: [22, 23, 1000, 7000]).sorted { $0.key < $1.key }.map(\.value)
                == [E(.openFiltered, .noResponse), E(.closed, .reset), E(.openFiltered, .noResponse), E(.filtered, .adminProhibited)])
        #expect(layout.expectations(.ack, host: host, ports: [22, 23, 1000]).sorted { $0.key < $1.key }.map(\.value)
                == [E(.unfiltered, .reset), E(.unfiltered, .reset), E(.filtered, .noResponse)])
        #expect(layout.expectations(.udp, host: host, ports: [53, 5000, 6000, 6100, 6200, 6300]).sorted { $0.key < $1.key }.map(\.value)
                == [E(.open, .udpResponse), E(.open, .udpResponse), E(.openFiltered, .noResponse),
                    E(.openFiltered, .noResponse), E(.filtered, .adminProhibited), E(.closed, .portUnreach)])
        let codes = TestbedLayout.unreachables
        #expect(codes.expectations(.syn, host: host, ports: [7100, 7110, 7130]).sorted { $0.key < $1.key }.map(\.value)
                == [E(.filtered, .netUnreach), E(.filtered, .hostUnreach), E(.filtered, .portUnreach)])
        #expect(codes.expectations(.udp, host: host, ports: [6530, 6550]).sorted { $0.key < $1.key }.map(\.value)
                == [E(.closed, .portUnreach), E(.filtered, .hostProhibited)])
        // Everything to a firewalled host vanishes.
        #expect(layout.expectations(.syn, host: "198.18.0.3", ports: [22, 23]).values.allSatisfy { $0 == E(.filtered, .noResponse) })
        #expect(layout.expectations(.udp, host: "198.18.0.3", ports: [53, 6300]).values.allSatisfy { $0 == E(.openFiltered, .noResponse) })
    }

    @Test("the verdict accepts an exact report and names every difference in a wrong one")
    func verdict() throws {
        let expected = TestbedLayout.standard.expectations(.connect, host: "198.18.0.2", ports: [22, 23, 25, 81, 1000])
        let exact = try report(ports: #"{"protocol":"tcp","port":22,"state":"open","reason":"syn-ack","technique":"connect"},{"protocol":"tcp","port":1000,"state":"filtered","reason":"no-response","technique":"connect"}"#,
                               extra: #"{"protocol":"tcp","state":"closed","count":3,"reason":"conn-refused"}"#)
        #expect(exact.mismatches(against: expected) == [])

        let wrong = try report(ports: #"{"protocol":"tcp","port":22,"state":"filtered","reason":"no-response","technique":"connect"},{"protocol":"tcp","port":9,"state":"open","reason":"syn-ack","technique":"connect"}"#,
                               extra: #"{"protocol":"tcp","state":"closed","count":2,"reason":"conn-refused"}"#)
        let problems = wrong.mismatches(against: expected)
        #expect(problems.contains("22/tcp: expected open/syn-ack, got filtered/no-response"))
        #expect(problems.contains("9/tcp listed as open/syn-ack but was not scanned"))
        #expect(problems.contains { $0.hasPrefix("tcp closed/conn-refused: 3 ports expected folded") })
        #expect(problems.contains { $0.hasPrefix("tcp filtered/no-response: 1 ports expected folded") })
    }

    @Test("a report listing a port twice, or not JSON, is refused")
    func unreadableReports() {
        #expect(throws: TestbedError.self) {
            try report(ports: #"{"protocol":"tcp","port":22,"state":"open","reason":"syn-ack"},{"protocol":"tcp","port":22,"state":"open","reason":"syn-ack"}"#, extra: "")
        }
        #expect(throws: TestbedError.self) { try TestbedReport.parse("PORT STATE SERVICE") }
    }

    @Test("only our own namespaces, named with a pid, are ever taken for stale")
    func namespaceOwners() {
        #expect(TestbedNamespaces.owner(of: "pg-scan-4242-7") == 4242)
        #expect(TestbedNamespaces.owner(of: "pg-btgt-99-12345") == 99)
        #expect(TestbedNamespaces.owner(of: "pg-other-4242-7") == nil)
        #expect(TestbedNamespaces.owner(of: "pg-scan-x-7") == nil)
        #expect(TestbedNamespaces.owner(of: "pg-scan-4242") == nil)
        #expect(TestbedNamespaces.owner(of: "netns0") == nil)
        #expect(TestbedNamespaces.name(role: "scan", run: 3).hasPrefix("pg-scan-\(getpid())-"))
    }

    @Test("the responder binds exactly the layout's services")
    func responderArguments() {
        #expect(TestbedResponder.arguments(for: .standard) == [
            "--tcp", "22,80,443,8080", "--udp-echo", "123,161,5000-5003", "--udp-dns", "53", "--udp-silent", "6000-6003",
        ])
        #expect(TestbedResponder.arguments(for: TestbedLayout(hosts: [.live("198.18.0.2")])) == nil)
        #expect(FileManager.default.fileExists(atPath: TestbedResponder.scriptPath))
    }

    @Test("the built network behaves as the layout says, probed from the scanner namespace without portgrid", .needsTestbed)
    func networkMatchesLayout() async throws {
        try await Testbed.with(.sweep) { bed in
            let probe = try TestbedCommand.run(["ip", "netns", "exec", bed.scanner, "python3", "-c", Self.probeScript],
                                               timeout: .seconds(60))
            let seen = Dictionary(uniqueKeysWithValues: probe.stdout.split(separator: "\n").compactMap { line -> (String, String)? in
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            })
            #expect(seen["tcp/198.18.0.2:22"] == "connected")
            #expect(seen["tcp/198.18.0.2:23"] == "ECONNREFUSED")
            #expect(seen["tcp/198.18.0.2:1000"] == "timeout")
            #expect(seen["tcp/198.18.0.2:7000"] == "EHOSTUNREACH")
            #expect(seen["tcp/198.18.0.3:22"] == "timeout")
            #expect(seen["tcp/198.18.0.4:22"] == "connected")
            #expect(seen["udp/198.18.0.2:5000"] == "reply")
            #expect(seen["udp/198.18.0.2:53"] == "reply")
            #expect(seen["udp/198.18.0.2:6000"] == "timeout")
            #expect(seen["udp/198.18.0.2:6300"] == "ECONNREFUSED")
            #expect(seen["udp/198.18.0.2:6200"] == "EHOSTUNREACH")
            #expect(seen.count == 11, "\(probe.stdout)\(probe.stderr)")
        }
    }

    /// Plain sockets from the scanner side: what each kind of port does to a normal client.
    private static let probeScript = """
    import errno, socket, struct
    def tcp(host, port):
        s = socket.socket(); s.settimeout(0.5)
        try:
            s.connect((host, port)); return "connected"
        except socket.timeout:
            return "timeout"
        except OSError as e:
            return errno.errorcode.get(e.errno, str(e.errno))
        finally:
            s.close()
    def udp(host, port):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
        s.connect((host, port))
        query = struct.pack("!HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"\\x07example\\x00" + struct.pack("!HH", 1, 1)
        try:
            s.send(query); s.recv(512); return "reply"
        except socket.timeout:
            return "timeout"
        except OSError as e:
            return errno.errorcode.get(e.errno, str(e.errno))
        finally:
            s.close()
    for host, port in [("198.18.0.2", 22), ("198.18.0.2", 23), ("198.18.0.2", 1000), ("198.18.0.2", 7000),
                       ("198.18.0.3", 22), ("198.18.0.4", 22)]:
        print(f"tcp/{host}:{port} {tcp(host, port)}")
    for port in (5000, 53, 6000, 6300, 6200):
        print(f"udp/198.18.0.2:{port} {udp('198.18.0.2', port)}")
    """

    private func report(ports: String, extra: String) throws -> TestbedHostReport {
        let json = #"{"scanner":"portgrid","hosts":[{"address":"198.18.0.2","status":"up","reason":"user-set","ports":["#
            + ports + #"],"extraports":["# + extra + "]}]}"
        return try #require(try TestbedReport.parse(json).host("198.18.0.2"))
    }
}
