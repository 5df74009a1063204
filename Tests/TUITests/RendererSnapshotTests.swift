import PortgridCore
import Testing
@testable import TUI

@Suite struct RendererSnapshotTests {
    func draw(_ state: AppState, unicode: Bool = true) -> MemoryScreen {
        var screen = MemoryScreen(cols: state.size.cols, rows: state.size.rows, unicode: unicode)
        Renderer.render(state, on: &screen)
        return screen
    }

    @Test func midScanGridAt80x24() {
        assertSnapshot(draw(Fixture.midScan()).text, named: "grid-80x24")
    }

    @Test func asciiFallbackAt80x24() {
        assertSnapshot(draw(Fixture.midScan(), unicode: false).text, named: "grid-ascii-80x24")
    }

    @Test func openPortsListAt80x24() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("v"), .down], &state)
        assertSnapshot(draw(state).text, named: "list-80x24")
    }

    @Test func helpAt80x24() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("?")], &state)
        assertSnapshot(draw(state).text, named: "help-80x24")
    }

    @Test func invalidPortsInlineAt80x24() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("P"), .ctrl("u")], &state)
        _ = Fixture.type("5-1", &state)
        _ = Fixture.press([.enter], &state)
        assertSnapshot(draw(state).text, named: "ports-input-error-80x24")
    }

    @Test func failedScanAt80x24() {
        var state = Fixture.state(Fixture.request(technique: .udp))
        let why = "UDP scan (-sU) needs root or CAP_NET_RAW: run with sudo, or use -sT"
        Fixture.send([Fixture.up(Fixture.localhost), .notice(Notice(.error, why)),
                      .finished(ScanSummary(outcome: .failed, elapsed: .milliseconds(3), probesSent: 0, error: why))],
                     to: &state)
        assertSnapshot(draw(state).text, named: "failed-80x24")
    }

    /// All ports of five hosts on a big terminal, a zoomed view, and the host list in use.
    static func wideState() -> AppState {
        let request = Fixture.request(targets: "198.18.0.1-5", ports: "-")
        var state = Fixture.state(request, cols: 200, rows: 60)
        let hosts = (1...5).map { Fixture.address("198.18.0.\($0)") }
        Fixture.send(hosts.enumerated().map { Fixture.up($1, rtt: .microseconds(90 + 40 * $0)) }
                     + [.started(Fixture.plan(request, hosts: hosts))], to: &state)
        for (h, host) in hosts.enumerated() {
            var batch: [PortResult] = []
            let done = 65535 - h * 9000
            for port in UInt16(1)...UInt16(done) {
                let state: PortState = switch port {
                case 22, 80, 443, 8080, 3306: .open
                case 9000..<9200 where h == 1: .filtered
                case 161 where h == 2: .openFiltered
                default: .closed
                }
                batch.append(Fixture.result(host, port, state))
            }
            Fixture.send([.results(PortResults(batch))], to: &state)
        }
        Fixture.send([.progress(ScanProgress(completed: 237_675, total: 327_675, probesSent: 240_000, rate: 48_200,
                                             elapsed: .milliseconds(5_100)))], to: &state)
        return state
    }

    @Test func severalHostsAllPortsAt200x60() {
        var state = Self.wideState()
        _ = Fixture.press([.backTab, .down], &state) // second host selected (Shift-Tab: grid -> hosts)
        assertSnapshot(draw(state).text, named: "grid-200x60")
    }

    @Test func zoomedAt200x60() {
        var state = Self.wideState()
        _ = Fixture.press([.char("z")], &state)
        assertSnapshot(draw(state).text, named: "grid-zoomed-200x60")
    }

    @Test func tooSmallSaysSo() {
        assertSnapshot(draw(Fixture.midScan(cols: 20, rows: 5)).text, named: "too-small-20x5")
    }

    @Test func anySizeDrawsWithoutTrapping() {
        for cols in [0, 1, 2, 19, 59, 60, 61, 80, 133] {
            for rows in [0, 1, 3, 13, 14, 15, 24] {
                var state = Fixture.midScan(cols: cols, rows: rows)
                _ = Fixture.press([.char("G"), .char("?")], &state)
                _ = draw(state)
                _ = Fixture.press([.escape, .char("v"), .char("P")], &state)
                _ = draw(state)
            }
        }
    }

    @Test func aFinishedScanShowsItsAverageRate() {
        var state = Fixture.midScan()
        Fixture.send([.finished(ScanSummary(outcome: .completed, elapsed: .milliseconds(1250), probesSent: 65_535))],
                     to: &state)
        let header = draw(state).row(1)
        #expect(header.hasPrefix("done"))
        #expect(header.contains("100%"))
        #expect(header.contains("52k pkt/s"))
    }

    @Test func cellsCarryTheirStateAsStyle() {
        let screen = draw(Fixture.midScan())
        let layout = Layout(ScreenSize(cols: 80, rows: 24))
        // 1024 ports at 2 a cell: port 22 is in cell 10 (ports 21-22), an open cell.
        let open = screen.cell(x: layout.grid.x + Layout.labelWidth + 10, y: layout.grid.y)
        #expect(open.glyph == "█")
        #expect(open.style.role == .open)
        let closed = screen.cell(x: layout.grid.x + Layout.labelWidth + 5, y: layout.grid.y)
        #expect(closed.style.role == .closed)
        let cursor = screen.cell(x: layout.grid.x + Layout.labelWidth, y: layout.grid.y)
        #expect(cursor.style.reverse)
    }
}

@Suite struct ScreenTests {
    @Test func controlCharactersAreDrawnAsBlanks() {
        var screen = MemoryScreen(cols: 20, rows: 1)
        screen.put("a\nb\u{1B}[2Jc", x: 0, y: 0)
        #expect(screen.row(0) == "a b [2Jc            ")
    }

    @Test func asciiScreensGetASCIIOnly() {
        var screen = MemoryScreen(cols: 12, rows: 1, unicode: false)
        screen.put("▶ a · b … é", x: 0, y: 0)
        #expect(screen.row(0) == "> a - b ~ ? ")
    }

    @Test func textIsClippedToTheScreenAndTheWidth() {
        var screen = MemoryScreen(cols: 6, rows: 2)
        let end = screen.put("abcdefgh", x: -2, y: 0)
        #expect(screen.row(0) == "cdefgh")
        #expect(end == 6)
        screen.put("xyz", x: 1, y: 1, width: 2)
        #expect(screen.row(1) == " xy   ")
        screen.put("nope", x: 0, y: 5)
    }
}
