import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `-sV` against real daemons in a namespace testbed, compared port by port with `nmap -sV`, and against
/// hostile services that try to reach the terminal or never stop talking.
@Suite("Service and version detection on the testbed", .serialized, .needsTestbed,
       .enabled(if: ServiceDaemons.isAvailable, Comment(rawValue: ServiceDaemons.requirement)))
struct ServiceVersionTestbedTests {
    static let layout = TestbedLayout(hosts: [.live("198.18.0.2")])
    static var portList: String { ServiceDaemons.ports.map(String.init).joined(separator: ",") }

    struct Identity: Equatable, CustomStringConvertible {
        var name: String?
        var product: String?
        var version: String?
        var description: String { "\(name ?? "-") | \(product ?? "-") | \(version ?? "-")" }
    }

    /// nmap's answers from its XML: service name (with `ssl/` for a TLS tunnel), product, version.
    static func nmapIdentities(_ xml: String) throws -> [UInt16: Identity] {
        let document = try XMLDocument(xmlString: xml, options: [])
        var found: [UInt16: Identity] = [:]
        for case let port as XMLElement in try document.nodes(forXPath: "//port") {
            guard let id = port.attribute(forName: "portid")?.stringValue.flatMap(UInt16.init) else { continue }
            let service = port.elements(forName: "service").first
            func attribute(_ name: String) -> String? { service?.attribute(forName: name)?.stringValue }
            let tunnel = attribute("tunnel") == "ssl" ? "ssl/" : ""
            found[id] = Identity(name: attribute("name").map { tunnel + $0 }, product: attribute("product"),
                                 version: attribute("version"))
        }
        return found
    }

    /// Ours from the JSON report.
    static func ourIdentities(_ json: String) throws -> [UInt16: Identity] {
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let hosts = report?["hosts"] as? [[String: Any]] ?? []
        var found: [UInt16: Identity] = [:]
        for port in hosts.first?["ports"] as? [[String: Any]] ?? [] {
            guard let id = port["port"] as? Int else { continue }
            found[UInt16(id)] = Identity(name: port["service"] as? String, product: port["product"] as? String,
                                         version: port["version"] as? String)
        }
        return found
    }

    @Test("portgrid -sV and nmap -sV agree on service name, product and version for every daemon's port")
    func agreesWithNmap() async throws {
        try await Testbed.with(Self.layout) { bed in
            try await ServiceDaemons.with(namespace: bed.target, address: bed.layout.primary) {
                let ours = try await bed.scan(["-sT", "-Pn", "-n", "-sV", "-T4", "-p", Self.portList, bed.layout.primary],
                                              timeout: .seconds(180))
                #expect(ours.status == 0, "\(ours.summary)")
                let nmap = try await TestbedCommand.output(
                    ["ip", "netns", "exec", bed.scanner, try TestbedTools.require("nmap"), "-sV", "-T4", "-Pn", "-n",
                     "-p", Self.portList, "-oX", "-", bed.layout.primary], timeout: .seconds(300))
                #expect(nmap.status == 0, "\(nmap.stderr)")
                let mine = try Self.ourIdentities(ours.stdout)
                let theirs = try Self.nmapIdentities(nmap.stdout)
                for port in ServiceDaemons.ports {
                    #expect(mine[port] != nil && mine[port] == theirs[port],
                            "port \(port): portgrid \(mine[port].map(String.init(describing:)) ?? "none") vs nmap \(theirs[port].map(String.init(describing:)) ?? "none")")
                }
                // The daemons are named, not guessed from the port table.
                #expect(theirs[22]?.product == "OpenSSH" && theirs[80]?.product == "nginx" && theirs[443]?.name == "ssl/http")
                // The TLS handshake's certificate details travel in the JSON.
                let report = try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [String: Any]
                let ports = (report?["hosts"] as? [[String: Any]])?.first?["ports"] as? [[String: Any]] ?? []
                let tls = ports.first { $0["port"] as? Int == 443 }?["tls"] as? [String: Any]
                #expect((tls?["subject"] as? String)?.contains("CN=testbed.test") == true, "\(String(describing: tls))")
                #expect(tls?["san"] as? [String] == ["DNS:testbed.test", "IP:\(bed.layout.primary)"])
                #expect((tls?["version"] as? String)?.hasPrefix("TLSv1.") == true && (tls?["not_after"] as? String)?.hasSuffix("Z") == true)
                print("portgrid -sV -T4: \(ours.elapsed); nmap -sV -T4: \(nmap.elapsed)")
            }
        }
    }

    @Test("a UDP port that answered is probed too: dnsmasq on 53/udp reads as nmap -sU -sV reads it")
    func udpAgreesWithNmap() async throws {
        try await Testbed.with(Self.layout) { bed in
            try await ServiceDaemons.with(namespace: bed.target, address: bed.layout.primary) {
                let ours = try await bed.scan(["-sU", "-Pn", "-n", "-sV", "-T4", "-p", "53", bed.layout.primary],
                                              timeout: .seconds(120))
                #expect(ours.status == 0, "\(ours.summary)")
                let nmap = try await TestbedCommand.output(
                    ["ip", "netns", "exec", bed.scanner, try TestbedTools.require("nmap"), "-sU", "-sV", "-T4", "-Pn", "-n",
                     "-p", "53", "-oX", "-", bed.layout.primary], timeout: .seconds(300))
                let mine = try Self.ourIdentities(ours.stdout)[53]
                let theirs = try Self.nmapIdentities(nmap.stdout)[53]
                #expect(mine != nil && mine == theirs, "portgrid \(String(describing: mine)) vs nmap \(String(describing: theirs))")
                #expect(theirs?.product == "dnsmasq")
            }
        }
    }

    static let hostileScript = #"""
    import socket, sys, threading, time
    def serve(port, handler):
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], port)); s.listen(16)
        def loop():
            while True:
                c, _ = s.accept()
                threading.Thread(target=lambda: run(c), daemon=True).start()
        def run(c):
            try: handler(c)
            except Exception: pass
        threading.Thread(target=loop, daemon=True).start()
    def ansi(c): c.sendall(b"\x1b[2J\x1b]0;owned\x07\x1b[31mHTTP/1.0 200 OK\r\nServer: \x1b[5mevil\x00\r\n\r\n"); time.sleep(30)
    def nul(c): c.sendall(b"\x00" * 100 + b"\xff\xfe"); time.sleep(30)
    def endless(c):
        while True: c.sendall(b"\x1b[41m" + b"\x00A" * 2000)
    def silent(c): time.sleep(60)
    def evilpop(c): c.sendall(b"+OK \x1b[2J\x1b]0;owned\x07\x00 Dovecot ready.\r\n"); time.sleep(30)
    for port, handler in [(7001, ansi), (7002, nul), (7003, endless), (7004, silent), (7005, evilpop)]:
        serve(port, handler)
    time.sleep(600)
    """#

    @Test("hostile services (ANSI escapes, NUL bytes, endless data, silence) end in bounded time and reach no output raw")
    func hostileServices() async throws {
        try await Testbed.with(Self.layout) { bed in
            let responder = ["/usr/bin/python3", "-c", Self.hostileScript, bed.layout.primary]
            try await ServiceDaemons.with(namespace: bed.target, running: responder, listeningOn: [7001, 7002, 7003, 7004, 7005]) {
            let scratch = NSTemporaryDirectory() + "pg-hostile-\(getpid())-\(TestbedSequence.next())"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: scratch) }
            let run = try await TestbedCommand.output(
                ["ip", "netns", "exec", bed.scanner, try TestbedBinary.require(), "-sT", "-Pn", "-n", "-sV", "-T5",
                 "--version-intensity", "9", "-p", "7001-7005", "--no-tui", "-oX", scratch + "/r.xml", "-oG", scratch + "/r.gnmap",
                 "-oJ", scratch + "/r.json", "-oC", scratch + "/r.csv", bed.layout.primary], timeout: .seconds(120))
            #expect(run.status == 0, "\(run.stderr)")
            // -T5's port budget (15 s) bounds every port, the silent and the endless one included.
            #expect(run.elapsed < .seconds(40), "took \(run.elapsed)")
            let files = try ["r.xml", "r.gnmap", "r.json", "r.csv"].map { try String(contentsOfFile: scratch + "/" + $0, encoding: .utf8) }
            for text in [run.stdout, run.stderr] + files {
                #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0 },
                        "a control byte reached the output: \(text.prefix(400))")
            }
            // nmap's `match pop3 m|^\+OK (.*) Dovecot ready\.\r\n$| i/$1/` copies the escapes into extra info.
            #expect(run.stdout.contains("7005/tcp open  pop3"), "\(run.stdout)")
            #expect(run.stdout.contains("Dovecot pop3d (\\x1b[2J\\x1b]0;owned\\x07\\x00)"), "shown escaped: \(run.stdout)")
            _ = try XMLDocument(xmlString: files[0], options: [])
            _ = try JSONSerialization.jsonObject(with: Data(files[2].utf8))
            }
        }
    }
}
