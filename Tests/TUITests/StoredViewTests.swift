import PortgridCore
import Report
import Testing
@testable import TUI

/// `portgrid view` in the TUI (issue 14): stored reports fill the host list and the grid without a
/// scan, a new reading (a shard landing) replaces the old, keys that would scan are refused with
/// one line, and q quits.
@Suite struct StoredViewTests {
    static let a = Fixture.address("127.0.0.1"), b = Fixture.address("127.0.0.2")

    func draw(_ state: AppState) -> MemoryScreen {
        var screen = MemoryScreen(cols: state.size.cols, rows: state.size.rows)
        Renderer.render(state, on: &screen)
        return screen
    }

    func viewing(cols: Int = 80, rows: Int = 24) -> AppState {
        var state = AppState(request: ScanRequest(targets: TargetSet(terms: [])), size: ScreenSize(cols: cols, rows: rows))
        state.viewing = ViewingState(watching: true)
        return state
    }

    /// Shard `index` of 2 over 127.0.0.1-2, ports 1-100: host a's open ports in shard 1, b's in shard 2.
    func shard(_ index: Int) -> StoredReport {
        var request = Fixture.request(targets: "127.0.0.1-2", ports: "1-100")
        request.shard = Shard(index: index, count: 2)
        let host = index == 1 ? Self.a : Self.b
        var results = (UInt16(1)...100).map { Fixture.result(host, $0, .closed) }
        results[21] = Fixture.result(host, 22, .open)
        results[79] = Fixture.result(host, 80, .open)
        return StoredReport(source: "shard\(index).json", request: request, interrupted: false,
                            hosts: [HostResult(address: host, status: .up, reason: .synAck)], results: results)
    }

    func reading(_ reports: [StoredReport], named: Int = 2) -> StoredReading {
        StoredReading(merged: try! ReportMerge.merge(reports), named: named, present: reports.count)
    }

    @Test("a read-only session starts no scan; a reading fills the host list and the grid")
    func readingFillsTheScreen() {
        var state = viewing()
        #expect(Reducer.begin(&state).isEmpty)
        #expect(Reducer.reduce(&state, .stored(reading([shard(1)]))).isEmpty)
        #expect(state.listedHosts == [Self.a])
        #expect(state.boards[.connect]?.totals[CellState(.open)] == 2)
        let screen = draw(state)
        assertSnapshot(screen.text, named: "view-one-shard-80x24")
        #expect(screen.row(1).hasPrefix("viewing  1/2 reports  missing 2/2"))
        #expect(screen.text.contains("read 1 of 2 reports: 1 hosts up, 2 open ports; shard 2/2 missing"))
    }

    @Test("a shard landing replaces the reading: its hosts and ports join, the log counts what it brought")
    func shardLands() {
        var state = viewing(cols: 120, rows: 40)
        _ = Reducer.reduce(&state, .stored(reading([shard(1)])))
        _ = Reducer.reduce(&state, .stored(reading([shard(1), shard(2)])))
        #expect(state.listedHosts == [Self.a, Self.b])
        #expect(state.boards[.connect]?.totals[CellState(.open)] == 4)
        #expect(state.boards[.connect]?.totals[.pending] == 0)
        let screen = draw(state)
        #expect(screen.row(1).hasPrefix("complete 2/2 reports"))
        #expect(screen.row(1).contains("100%"))
        #expect(screen.text.contains("read 2 of 2 reports: 2 hosts up, 4 open ports (+2)"))
    }

    @Test("what -sV learned in the stored reports shows beside the ports, as in a live scan")
    func storedVersionsShow() {
        var state = viewing(cols: 120, rows: 40)
        var first = shard(1)
        first.detected = [ServiceKey(host: Self.a, proto: .tcp, port: 22):
                            ServiceIdentity(name: "ssh", product: "OpenSSH", version: "9.2p1")]
        _ = Reducer.reduce(&state, .stored(reading([first, shard(2)])))
        _ = Fixture.press([.char("v")], &state)
        let screen = draw(state)
        #expect(screen.row(2).contains("-sV 1 known"), "\(screen.row(2))")
        #expect(screen.text.contains("OpenSSH 9.2p1"), "\(screen.text)")
    }

    @Test("keys that would start or change a scan are refused with one line; viewing keys work")
    func scanKeysAreRefused() {
        var state = viewing()
        _ = Reducer.reduce(&state, .stored(reading([shard(1)])))
        for key: Key in [.char("s"), .char("t"), .char("4"), .char("+"), .char("-"), .char(" "), .char("R"), .char("V")] {
            #expect(Fixture.press([key], &state).isEmpty, "\(key)")
            #expect(state.message?.level == .warning, "\(key)")
            #expect(state.message?.text.hasPrefix("read-only view of stored reports: ") == true, "\(key)")
        }
        #expect(state.message?.text == "read-only view of stored reports: V would probe ports (q quits)")
        _ = Fixture.press([.char("r")], &state)
        #expect(state.input == nil)
        #expect(state.message?.text == "read-only view of stored reports: r would change what is scanned (q quits)")
        _ = Fixture.press([.char("s")], &state)
        #expect(state.message?.text == "read-only view of stored reports: s would start a scan (q quits)")
        #expect(draw(state).row(23).hasPrefix("read-only view of stored reports: s would start a scan"))
        // The footer offers only what works here.
        let words = KeyTable.footer(state).map(\.what)
        #expect(!words.contains("technique") && !words.contains("timing") && !words.contains("targets"))
        #expect(words.contains("quit") && words.contains("list"))
        // Viewing keys still work.
        _ = Fixture.press([.char("v")], &state)
        #expect(state.view.mode == .list)
        #expect(Fixture.press([.char("q")], &state) == [.quit])
    }
}
