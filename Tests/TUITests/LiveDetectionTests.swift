import PortgridCore
import Testing
@testable import TUI

/// -sV live on the screen (issue 16): open ports go to the prober as the scan finds them, what is
/// learned shows beside each port, V turns probing off and on, and a port's detail shows the
/// banner escaped byte for byte.
@Suite struct LiveDetectionTests {
    static let ssh = ServiceIdentity(name: "ssh", product: "OpenSSH", version: "9.2p1 Debian 2+deb12u3",
                                     extraInfo: "protocol 2.0", osType: "Linux", cpes: ["cpe:/a:openbsd:openssh:9.2p1"],
                                     banner: Array("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".utf8))
    /// A service that answers with a colour escape, a clear-screen, a NUL and a C1 CSI.
    static let hostile = ServiceIdentity(name: "http", product: "Evil\u{1B}[2Jhttpd", version: "1.0\u{9B}31m",
                                         tunnelSSL: true,
                                         tls: TLSDetails(protocolVersion: "TLSv1.3", subject: "CN=localhost",
                                                         issuer: "CN=localhost", subjectAltNames: ["DNS:localhost", "IP:127.0.0.1"],
                                                         notAfter: "2027-12-01T06:00:00Z"),
                                         banner: [0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x48, 0x49, 0x00, 0x0D, 0x0A, 0x9B, 0x07, 0xFF])

    func draw(_ state: AppState) -> MemoryScreen {
        var screen = MemoryScreen(cols: state.size.cols, rows: state.size.rows)
        Renderer.render(state, on: &screen)
        return screen
    }

    /// A state with -sV on, its first scan started.
    func detecting(cols: Int = 120, rows: Int = 40) -> AppState {
        var state = AppState(request: Fixture.request(), size: ScreenSize(cols: cols, rows: rows))
        state.detection = DetectionState()
        _ = Reducer.begin(&state)
        return state
    }

    func key(_ port: UInt16) -> ServiceKey { ServiceKey(host: Fixture.localhost, proto: .tcp, port: port) }

    func scanned(_ state: inout AppState) -> [Effect] {
        let request = state.request
        var effects: [Effect] = []
        for event: ScanEvent in [Fixture.up(Fixture.localhost), .started(Fixture.plan(request, hosts: [Fixture.localhost])),
                                 .results(PortResults((UInt16(1)...30).map { Fixture.result(Fixture.localhost, $0, $0 == 22 ? .open : .closed) }
                                          + [Fixture.result(Fixture.localhost, 443, .open)]))] {
            effects += Reducer.reduce(&state, .scan(id: state.scan.id, event))
        }
        return effects
    }

    @Test("with -sV an open port is handed to the prober the moment the scan reports it, and only once")
    func openPortsAreProbedAsFound() {
        var state = detecting()
        let effects = scanned(&state)
        #expect(effects == [.probeServices([ServiceProbeOrder(key: key(22), rtt: .microseconds(60)),
                                            ServiceProbeOrder(key: key(443), rtt: .microseconds(60))])])
        let again = Reducer.reduce(&state, .scan(id: state.scan.id, .results([Fixture.result(Fixture.localhost, 22, .open)])))
        #expect(again.isEmpty)
        #expect(state.detection?.probing.count == 2)
    }

    @Test("without -sV no port is probed")
    func noDetectionNoProbes() {
        var state = Fixture.state(cols: 120, rows: 40)
        #expect(scanned(&state).isEmpty)
    }

    @Test("what is learned shows beside the port in the open-ports panel, the list and the host detail")
    func learnedVersionsShowEverywhere() {
        var state = detecting()
        _ = scanned(&state)
        let probing = draw(state).text
        #expect(probing.contains("-sV 0 known, 2 probing"))
        _ = Reducer.reduce(&state, .detected(key(22), Self.ssh))
        let panel = draw(state).text
        #expect(panel.contains("22/tcp ssh OpenSSH 9.2p1 Debian"))
        #expect(panel.contains("443/tcp https probing…"))
        #expect(panel.contains("-sV 1 known, 1 probing"))
        #expect(panel.contains("22/tcp on 127.0.0.1: ssh OpenSSH 9.2p1"))

        _ = Fixture.press([.char("v")], &state)
        let list = draw(state)
        assertSnapshot(list.text, named: "list-versions-120x40")
        #expect(list.text.contains("VERSION"))
        #expect(list.text.split(separator: "\n").contains { $0.contains("22/tcp") && $0.contains("ssh") && $0.contains("OpenSSH 9.2p1") })

        _ = Fixture.press([.char("v"), .enter], &state)
        let detail = draw(state).text
        #expect(detail.contains("22/tcp      open            ssh"))
        #expect(detail.contains("OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)"))
    }

    @Test("at 80 columns a long service name gives way to the VERSION column, its cut marked")
    func longServiceNamesGiveWay() {
        var state = detecting(cols: 80, rows: 24)
        let request = state.request
        // nmap's name for port 139 is "netbios-ssn" (32771's, "sometimes-rpc5", left the heading "VERSIO").
        for event: ScanEvent in [Fixture.up(Fixture.localhost), .started(Fixture.plan(request, hosts: [Fixture.localhost])),
                                 .results([Fixture.result(Fixture.localhost, 22, .open),
                                           Fixture.result(Fixture.localhost, 139, .open)])] {
            _ = Reducer.reduce(&state, .scan(id: state.scan.id, event))
        }
        _ = Reducer.reduce(&state, .detected(key(22), Self.ssh))
        _ = Fixture.press([.char("v")], &state)
        let lines = draw(state).text.split(separator: "\n")
        #expect(lines.contains { $0.contains("SERVICE") && $0.contains("VERSION") }, "\(lines.joined(separator: "\n"))")
        #expect(lines.contains { $0.contains("22/tcp") && $0.contains("OpenSSH 9.2p1") })
        #expect(lines.contains { $0.contains("139/tcp") && $0.contains("netbio… ") }, "\(lines.joined(separator: "\n"))")
    }

    @Test("V off stops new probes; ports found meanwhile are probed when V turns it back on")
    func toggleStopsAndResumes() {
        var state = detecting()
        let request = state.request
        Fixture.send([Fixture.up(Fixture.localhost), .started(Fixture.plan(request, hosts: [Fixture.localhost])),
                      .results([Fixture.result(Fixture.localhost, 22, .open)])], to: &state)
        #expect(Fixture.press([.char("V")], &state) == [.stopServiceProbes])
        #expect(state.detection?.enabled == false)
        #expect(state.message?.text == "service detection off: 1 probes stopped (V resumes)")
        // Found while off: waits, no probe.
        let off = Reducer.reduce(&state, .scan(id: state.scan.id, .results([Fixture.result(Fixture.localhost, 80, .open)])))
        #expect(off.isEmpty)
        #expect(draw(state).text.contains("-sV off, 2 waiting"))
        #expect(KeyTable.footer(state).contains { $0.what == "-sV on" })
        let on = Fixture.press([.char("V")], &state)
        #expect(on == [.probeServices([ServiceProbeOrder(key: key(22), rtt: .microseconds(60)),
                                       ServiceProbeOrder(key: key(80), rtt: .microseconds(60))])])
        #expect(state.detection?.probing.count == 2)
        #expect(state.changes.last == "service detection on: probing 2 open ports not yet probed")
        // A learned port is not probed again after another off and on.
        _ = Reducer.reduce(&state, .detected(key(22), Self.ssh))
        _ = Fixture.press([.char("V")], &state)
        #expect(Fixture.press([.char("V")], &state) == [.probeServices([ServiceProbeOrder(key: key(80), rtt: .microseconds(60))])])
    }

    @Test("V without -sV on the command line says so in one line and starts nothing")
    func toggleWithoutDetectionIsRefused() {
        var state = Fixture.midScan()
        #expect(Fixture.press([.char("V")], &state).isEmpty)
        #expect(state.message?.level == .error)
        #expect(state.message?.text == "service detection is off for this run: start portgrid with -sV")
        #expect(!KeyTable.footer(state).contains { $0.keys == "V" })
    }

    @Test("the footer and the help name V when -sV is on")
    func keyIsDocumented() {
        var state = detecting()
        #expect(KeyTable.footer(state).contains { $0.keys == "V" && $0.what == "-sV off" })
        #expect(KeyTable.helpLines().contains { $0.keys == "V" && $0.text.contains("service detection (-sV) on / off") })
        _ = Fixture.press([.char("?")], &state)
        var seen = draw(state).text
        for _ in 0..<10 where !seen.contains("service detection (-sV) on / off") {
            _ = Fixture.press([.pageDown], &state)
            seen = draw(state).text
        }
        #expect(seen.contains("  V                service detection (-sV) on / off"))
    }

    @Test("Enter on a port in the list opens its detail: service, certificate, and the banner escaped")
    func portDetailEscapesTheBanner() {
        var state = detecting(cols: 80, rows: 24)
        _ = scanned(&state)
        _ = Reducer.reduce(&state, .detected(key(443), Self.hostile))
        _ = Fixture.press([.char("v"), .down, .enter], &state)
        #expect(state.portDetail?.key == key(443))
        let screen = draw(state)
        assertSnapshot(screen.text, named: "port-detail-80x24")
        let text = screen.text
        #expect(text.contains("Port 443/tcp on 127.0.0.1"))
        #expect(text.contains("Service   ssl/http (probed, confidence 10)"))
        #expect(text.contains("Product   Evil\\x1b[2Jhttpd"))
        #expect(text.contains("Version   1.0\\x9b31m"))
        #expect(text.contains("Subject   CN=localhost"))
        #expect(text.contains("Names     DNS:localhost, IP:127.0.0.1"))
        #expect(text.contains("\\x1b[31mHI\\x00\\r\\n"))
        #expect(text.contains("\\x9b\\x07\\xff"))
        // No control character of any kind reached a cell.
        for y in 0..<screen.size.rows {
            for x in 0..<screen.size.cols {
                let scalars = screen.cell(x: x, y: y).glyph.unicodeScalars
                #expect(!scalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }, "cell \(x),\(y)")
            }
        }
        _ = Fixture.press([.escape], &state)
        #expect(state.portDetail == nil)
    }

    @Test("in a host's detail the arrows choose a port and Enter opens it; Esc goes back to the host")
    func hostDetailChoosesAPort() {
        var state = detecting(cols: 80, rows: 24)
        _ = scanned(&state)
        _ = Fixture.press([.tab, .enter], &state)
        #expect(state.hostDetail != nil)
        #expect(draw(state).text.contains("Enter port detail"))
        _ = Fixture.press([.down, .enter], &state)
        #expect(state.portDetail?.key == key(443))
        #expect(draw(state).text.contains("Service detection is probing this port"))
        _ = Fixture.press([.escape], &state)
        #expect(state.portDetail == nil)
        #expect(state.hostDetail != nil)
        _ = Fixture.press([.up, .enter], &state)
        #expect(state.portDetail?.key == key(22))
    }

    @Test("a port detail without -sV says how to get one")
    func portDetailWithoutDetection() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("v"), .enter], &state)
        let text = draw(state).text
        #expect(text.contains("Service   ssh (from the port table)"))
        #expect(text.contains("No -sV in this run"))
    }
}

@Suite struct SafeTextTests {
    @Test("bytes outside printable ASCII become escapes a person can read back")
    func escapedBytes() {
        #expect(SafeText.escaped([0x41, 0x1B, 0x00, 0x0D, 0x0A, 0x09, 0x5C, 0x7F, 0x80, 0xFF]) == "A\\x1b\\x00\\r\\n\\t\\\\\\x7f\\x80\\xff")
    }

    @Test("decoded text keeps letters of any script and escapes C0, DEL and C1 controls")
    func printableText() {
        #expect(SafeText.printable("Grüße\u{1B}[0m\u{9B}x\u{7F}") == "Grüße\\x1b[0m\\x9bx\\x7f")
    }

    @Test("a banner splits into the lines the service sent, each cut to the width")
    func bannerLines() {
        let lines = SafeText.bannerLines(Array("220 hello\r\n250-a-very-long-line\r\n".utf8), width: 10)
        #expect(lines == ["220 hello\\", "r\\n", "250-a-very", "-long-line", "\\r\\n"])
    }
}
