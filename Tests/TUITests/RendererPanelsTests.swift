import PortgridCore
import Testing
@testable import TUI

/// The screens issue 9 asked for: open ports by number and name and the log without a keypress on
/// a wide terminal, pending never hidden, every state counted, small screens still readable.
@Suite struct RendererPanelsTests {
    func draw(_ state: AppState, unicode: Bool = true) -> MemoryScreen {
        var screen = MemoryScreen(cols: state.size.cols, rows: state.size.rows, unicode: unicode)
        Renderer.render(state, on: &screen)
        return screen
    }

    @Test("at 120x40 the selected host's open ports and the log show without a keypress")
    func wideMidScanShowsOpenPortsAndLog() {
        let state = Fixture.midScan(cols: 120, rows: 40)
        let screen = draw(state)
        assertSnapshot(screen.text, named: "midscan-120x40")
        #expect(screen.text.contains("22/tcp ssh"))
        #expect(screen.text.contains("443/tcp https"))
        #expect(screen.text.contains("discovered open port 22/tcp on 127.0.0.1"))
    }

    @Test("at 80x24 the panels wait for L, then show")
    func narrowPanelsComeWithAKey() {
        var state = Fixture.midScan()
        #expect(!draw(state).text.contains("22/tcp ssh"))
        _ = Fixture.press([.char("L")], &state)
        let screen = draw(state)
        assertSnapshot(screen.text, named: "panels-80x24")
        #expect(screen.text.contains("22/tcp ssh"))
        #expect(screen.text.contains("discovered open port 80/tcp"))
    }

    @Test("at 60x14 the progress bar, the legend and the footer stay readable")
    func smallestScreen() {
        let screen = draw(Fixture.midScan(cols: 60, rows: 14))
        assertSnapshot(screen.text, named: "grid-60x14")
        #expect(screen.row(1).contains("███"))
        let legend = screen.row(11)
        for word in ["open", "closed", "filtered", "pending", "partly"] { #expect(legend.contains(word), "\(word)") }
    }

    @Test("the help fits 60x14 and scrolls to its last section")
    func helpScrollsOnTheSmallestScreen() {
        var state = Fixture.midScan(cols: 60, rows: 14)
        _ = Fixture.press([.char("?")], &state)
        let first = draw(state)
        assertSnapshot(first.text, named: "help-60x14")
        #expect(!first.text.contains("sort hosts"))
        _ = Fixture.press([.char("G")], &state)
        #expect(state.showHelp)
        let last = draw(state).text
        #expect(last.contains("close"))
        _ = Fixture.press([.pageUp, .pageUp, .pageUp], &state)
        #expect(state.helpTop > 0)
        _ = Fixture.press([.escape], &state)
        #expect(!state.showHelp)
    }

    @Test("Enter on a host opens all its ports: the open ones by row, the rest on one line")
    func hostDetail() {
        var state = Fixture.midScan()
        _ = Fixture.press([.tab, .enter], &state)
        let screen = draw(state)
        assertSnapshot(screen.text, named: "host-detail-80x24")
        #expect(screen.text.contains("22/tcp      open"))
        #expect(screen.text.contains("135/tcp     filtered"))
        #expect(screen.text.contains("691 tcp ports: closed (conn-refused)"))
        #expect(screen.text.contains("324 tcp ports still pending"))
    }

    @Test("a FIN scan's host row counts open|filtered, closed and filtered, and the done line says so")
    func finScanCountsWhatItProduces() {
        let request = Fixture.request(ports: "1-100", technique: .fin)
        var state = Fixture.state(request, cols: 100, rows: 30)
        var results = (UInt16(1)...15).map { Fixture.result(Fixture.localhost, $0, .openFiltered, technique: .fin) }
        results += (UInt16(16)...100).map { Fixture.result(Fixture.localhost, $0, .closed, technique: .fin) }
        Fixture.send([Fixture.up(Fixture.localhost, rtt: .microseconds(590)), .started(Fixture.plan(request, hosts: [Fixture.localhost])),
                      .results(PortResults(results)), .finished(ScanSummary(outcome: .completed, elapsed: .milliseconds(500), probesSent: 100))],
                     to: &state)
        let screen = draw(state)
        let row = screen.row(state.layout.hosts.y + 1)
        #expect(screen.row(state.layout.hosts.y).contains("OP|F CLSD FILT"))
        #expect(row.contains("15"))
        #expect(row.contains("85"))
        #expect(row.contains("0.59ms"))
        #expect(state.message?.text == "TCP FIN scan done in 0.50s: 15 open|filtered, 85 closed, 0 filtered")
    }

    @Test("a ping sweep's done line counts hosts up, not ports")
    func pingSweepCountsHosts() {
        let request = Fixture.request(targets: "127.0.0.1-4", technique: .ping)
        var state = Fixture.state(request)
        let hosts = (1...4).map { Fixture.address("127.0.0.\($0)") }
        Fixture.send([.started(Fixture.plan(request, hosts: hosts)), Fixture.up(hosts[0]), Fixture.up(hosts[2]),
                      .finished(ScanSummary(outcome: .completed, elapsed: .milliseconds(20), probesSent: 4))], to: &state)
        #expect(state.message?.text == "ping sweep scan done in 0.02s: 2 of 4 hosts up")
    }

    @Test("after a ping sweep the selected host's line names no ports, pending or otherwise")
    func pingSweepHostLineNamesNoPorts() {
        let request = Fixture.request(targets: "127.0.0.1-4", technique: .ping)
        var state = Fixture.state(request, cols: 120, rows: 30)
        let hosts = (1...4).map { Fixture.address("127.0.0.\($0)") }
        Fixture.send([.started(Fixture.plan(request, hosts: hosts)), Fixture.up(hosts[0]),
                      .finished(ScanSummary(outcome: .completed, elapsed: .milliseconds(20), probesSent: 4))], to: &state)
        state.view.focus = .hosts
        let line = Detail.text(state, state.layout)
        #expect(line.hasPrefix("127.0.0.1 up"), "\(line)")
        #expect(!line.contains("pending") && !line.contains("ports"), "\(line)")
        #expect(state.boards[.ping]?.counts(of: hosts[1])[.pending] == 0)
    }

    @Test("ETA comes from the measured rate and the work left; -- when there is no rate")
    func etaIsHonest() {
        var scan = ScanStatus(id: 1, requested: .connect)
        scan.phase = .running
        #expect(HeaderView.etaText(scan) == "--:--")
        scan.progress = ScanProgress(completed: 100, total: 1100, probesSent: 100, rate: 0, elapsed: .seconds(1))
        #expect(HeaderView.etaText(scan) == "--:--")
        scan.progress?.rate = 100
        #expect(HeaderView.etaText(scan) == "00:10")
        scan.progress?.rate = 0.25 // T1: one probe every 4 s is slow, not unknown
        #expect(HeaderView.etaText(scan) == "1:06:40")
        scan.paused = true
        #expect(HeaderView.etaText(scan) == "--:--")
    }

    @Test("a host's reverse-DNS name shows beside its address when no name was typed")
    func reverseNameShows() {
        var state = Fixture.midScan(cols: 120, rows: 40)
        #expect(!draw(state).text.contains("localhost"))
        Fixture.send([.host(.named(Fixture.localhost, reverseName: "localhost"))], to: &state)
        #expect(draw(state).text.contains("localhost"))
        #expect(state.hosts[Fixture.localhost]?.status == .up, "the name changed nothing else")
    }
}

/// Issue 15: IPv4 and IPv6 hosts of one run side by side on the screen.
@Suite struct RendererMixedFamiliesTests {
    @Test("a SYN run over an IPv4 host and an IPv6 host lists both, the IPv6 address whole, each with its counts")
    func mixedHostsBothListed() {
        let v4 = Fixture.address("198.18.0.2"), v6 = Fixture.address("2001:2::2")
        let request = Fixture.request(targets: "198.18.0.2", ports: "20-25", technique: .syn)
        var state = Fixture.state(request, cols: 120, rows: 40)
        var results: [PortResult] = []
        for host in [v4, v6] {
            for port in UInt16(20)...25 {
                results.append(Fixture.result(host, port, port == 22 ? .open : .closed, technique: .syn))
            }
        }
        Fixture.send([Fixture.up(v4), Fixture.up(v6), .started(Fixture.plan(request, hosts: [v4, v6])),
                      .results(PortResults(results))], to: &state)
        var screen = MemoryScreen(cols: 120, rows: 40, unicode: true)
        Renderer.render(state, on: &screen)
        #expect(screen.text.contains("198.18.0.2"))
        #expect(screen.text.contains("2001:2::2"))
        let rows = screen.text.split(separator: "\n").filter { $0.contains("2001:2::2") || $0.contains("198.18.0.2") }
        #expect(rows.count >= 2)
    }
}
