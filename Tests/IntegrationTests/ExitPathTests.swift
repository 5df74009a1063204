import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Glibc
import Testing

/// Ctrl-C, SIGTERM and SIGHUP in the middle of a headless scan: the scan stops, every format asked for
/// is written, each says the scan was interrupted, and every port found open before the signal
/// is in them. Which ports were found is known independently: our listeners see the connect
/// scan's handshakes in their accept queues. Loopback only: an address of 127.0.0.0/8 of the
/// test's own, so no other scan of 127.0.0.1 can reach the listeners and blur what was found.
@Suite(.serialized)
struct ExitPathTests {
    static let span: UInt16 = 2000
    static let spacing: UInt16 = 10

    @Test(.enabled(if: NmapCompatTools.hasPortgrid, "needs the built portgrid binary"),
          .timeLimit(.minutes(2)), arguments: [SIGINT, SIGTERM, SIGHUP])
    func aSignalMidScanKeepsEveryFoundResult(signal: Int32) async throws {
        let work = try ScratchDirectory()
        let address = NmapCompatListeners.privateLoopbackAddress()
        let (base, listeners) = try #require(Self.listenerWindow(on: address), "no free port window on \(address)")
        defer { listeners.close() }
        let range = "\(base)-\(base + Self.span - 1)"
        // 100 probes a second over 2,000 ports: twenty seconds if left alone, so a loaded CI machine
        // still sees it mid-scan (at 200 a second one run ended before the test could look).
        let scan = try NmapCompatProcess(
            [NmapCompatTools.portgrid, "-sT", "-Pn", "-n", "-p", range, "--max-rate", "100", "--no-tui",
             "-oJ", "f.json", "-oX", "f.xml", "-oG", "f.gnmap", "-oN", "f.nmap", "-oC", "f.csv", "-oD", "f.md",
             address], in: work.path)

        // Wait until the scan has found a few open ports, then give the engine time to record them
        // (generous: on a loaded two-core CI machine the scan thread may wait its turn).
        let started = ContinuousClock.now
        var found = Set<UInt16>()
        let deadline = ContinuousClock.now + .seconds(15)
        while found.count < 3 && scan.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            found.formUnion(listeners.drainConnected())
        }
        try #require(scan.isRunning, "the scan ended before it could be interrupted")
        try #require(found.count >= 3, "the scan found no open port within 15 s")
        try await Task.sleep(for: .seconds(1))
        let signalled = ContinuousClock.now - started
        try #require(scan.isRunning, "the scan ended before it could be interrupted (\(signalled) in)")
        scan.send(signal)
        let finished = try await scan.wait(timeout: .seconds(20))

        #expect(finished.status == 128 + signal, "exit status \(finished.status) after a signal \(signalled) in, stderr: \(finished.stderr)")
        #expect(finished.stdout.contains("Scan interrupted"), "the table on stdout does not say so:\n\(finished.stdout)")

        // JSON: flagged, and holds every port found before the signal.
        let jsonText = try #require(work.read("f.json"), "no JSON written")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(jsonText.utf8)) as? [String: Any])
        #expect(json["interrupted"] as? Bool == true)
        let host = try #require((json["hosts"] as? [[String: Any]])?.first { $0["address"] as? String == address })
        let ports = try #require(host["ports"] as? [[String: Any]])
        let jsonOpen = Set(ports.filter { $0["state"] as? String == "open" }.compactMap { ($0["port"] as? Int).map(UInt16.init) })
        #expect(found.isSubset(of: jsonOpen), "found \(found.sorted()) but JSON has \(jsonOpen.sorted()); signal \(signalled) in")
        let counted = ports.count + ((host["extraports"] as? [[String: Any]]) ?? []).reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
        #expect(counted > 0 && counted < Int(Self.span), "\(counted) ports reported for an interrupted scan")

        // XML: nmap's mark of an aborted run, the same open ports, the same count.
        let xml = NmapRunReader()
        let parser = XMLParser(data: Data(try #require(work.read("f.xml"), "no XML written").utf8))
        parser.delegate = xml
        #expect(parser.parse(), "XML does not parse")
        #expect(xml.exit == "error" && xml.errorMessage == "interrupted")
        #expect(xml.open == jsonOpen)
        #expect(xml.counted == counted)

        // The text formats say it in their own way; CSV is rows only and holds the same open ports.
        #expect(work.read("f.nmap")?.contains("Scan interrupted") == true)
        #expect(work.read("f.gnmap")?.contains("# Scan interrupted") == true)
        #expect(work.read("f.md")?.contains("**Interrupted**") == true)
        let csv = try #require(work.read("f.csv"), "no CSV written").split(separator: "\n")
        #expect(csv.first == "host,hostname,protocol,port,state,reason,service,technique,rtt_ms")
        var csvOpen = Set<UInt16>()
        for row in csv.dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count > 4, fields[4] == "open", let port = UInt16(fields[3]) { csvOpen.insert(port) }
        }
        #expect(csvOpen == jsonOpen)
        // Atomic writes leave no temporary files behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    /// A window of `span` ports above 20000 where every `spacing`-th port can be listened on.
    static func listenerWindow(on address: String) -> (UInt16, NmapCompatListeners)? {
        for base in stride(from: 20000, to: 30000, by: Int(span)) {
            let wanted = stride(from: base, to: base + Int(span), by: Int(spacing)).map { UInt16($0) }
            let listeners = NmapCompatListeners(ports: wanted, address: address)
            if listeners.ports.count == wanted.count { return (UInt16(base), listeners) }
            listeners.close()
        }
        return nil
    }
}

/// Open ports, counted ports and the `finished` element of an nmap XML file.
final class NmapRunReader: NSObject, XMLParserDelegate {
    var open = Set<UInt16>()
    var counted = 0
    var exit: String?
    var errorMessage: String?
    private var port: UInt16 = 0

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "port":
            port = UInt16(attributes["portid"] ?? "") ?? 0
            counted += 1
        case "state" where attributes["state"] == "open":
            open.insert(port)
        case "extraports":
            counted += Int(attributes["count"] ?? "") ?? 0
        case "finished":
            exit = attributes["exit"]
            errorMessage = attributes["errormsg"]
        default:
            break
        }
    }
}
