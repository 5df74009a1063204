import PortgridCore
import Testing
@testable import TUI

@Suite struct ReducerKeyTests {
    @Test func beginStartsTheFirstScan() {
        var state = AppState(request: Fixture.request(), size: ScreenSize(cols: 80, rows: 24))
        #expect(Reducer.begin(&state) == [.startScan(id: 1, Fixture.request())])
        #expect(state.scan.id == 1)
        #expect(state.scan.isRunning)
    }

    @Test func techniqueKeyCancelsAndStartsOverTheSameRange() {
        var state = Fixture.midScan()
        let effects = Fixture.press([.char("s")], &state)
        var expected = Fixture.request()
        expected.technique = .syn
        #expect(effects == [.cancelScan(id: 1), .startScan(id: 2, expected)])
        #expect(state.request.technique == .syn)
        #expect(state.scan.id == 2)
        // What connect found stays on its board.
        #expect(state.boards[.connect]?.totals[CellState(.open)] == 4)
    }

    @Test func everyTechniqueHasItsKey() {
        for technique in Technique.allCases where technique != .connect {
            var state = Fixture.state(Fixture.request(ports: "1-100"))
            let effects = Fixture.press([.char(KeyTable.key(of: technique))], &state)
            #expect(state.request.technique == technique, "key \(KeyTable.key(of: technique))")
            #expect(effects.count == 2)
        }
    }

    @Test func sameTechniqueWhileRunningChangesNothing() {
        var state = Fixture.midScan()
        #expect(Fixture.press([.char("t")], &state).isEmpty)
        #expect(state.scan.id == 1)
    }

    @Test func udpWithoutUDPPortsRefusesWithAMessage() {
        var state = Fixture.state(Fixture.request(ports: "T:22,80"))
        #expect(Fixture.press([.char("u")], &state).isEmpty)
        #expect(state.request.technique == .connect)
        #expect(state.message?.level == .error)
        #expect(state.message?.text.contains("no UDP ports") == true)
    }

    @Test func timingKeysApplyToTheRunningScan() {
        var state = Fixture.midScan()
        let effects = Fixture.press([.char("4")], &state)
        #expect(state.request.timing.level == 4)
        #expect(effects == [.setTiming(state.request.timing)])
        #expect(Fixture.press([.char("9")], &state).isEmpty)
        #expect(state.request.timing.level == 4)
    }

    @Test func plusAndMinusWalkTheRateLadder() {
        var state = Fixture.midScan() // measured 14,250/s, no cap
        #expect(Fixture.press([.char("-")], &state) == [.setMaxRate(10_000)])
        #expect(Fixture.press([.char("-")], &state) == [.setMaxRate(3_000)])
        #expect(Fixture.press([.char("+")], &state) == [.setMaxRate(10_000)])
        state.request.timing.maxRate = 300_000
        #expect(Fixture.press([.char("+")], &state) == [.setMaxRate(nil)])
        #expect(state.request.timing.maxRate == nil)
    }

    @Test func spacePausesAndResumesOnlyWhileRunning() {
        var state = Fixture.midScan()
        #expect(Fixture.press([.char(" ")], &state) == [.setPaused(true)])
        #expect(state.scan.paused)
        #expect(Fixture.press([.char(" ")], &state) == [.setPaused(false)])
        Fixture.send([.finished(ScanSummary(outcome: .completed, elapsed: .seconds(1), probesSent: 1))], to: &state)
        #expect(Fixture.press([.char(" ")], &state).isEmpty)
    }

    @Test("R rescans; Enter opens the selected host instead of rescanning")
    func rescanHasItsOwnKeyAndEnterOpensTheHost() {
        var state = Fixture.midScan()
        Fixture.send([.finished(ScanSummary(outcome: .completed, elapsed: .seconds(1), probesSent: 1))], to: &state)
        _ = Fixture.press([.tab], &state)
        #expect(Fixture.press([.enter], &state).isEmpty)
        #expect(state.hostDetail?.host == Fixture.localhost)
        _ = Fixture.press([.escape], &state)
        #expect(state.hostDetail == nil)
        #expect(Fixture.press([.char("R")], &state) == [.startScan(id: 2, Fixture.request())])
    }

    @Test func quitKeys() {
        var state = Fixture.midScan()
        #expect(Fixture.press([.char("q")], &state) == [.quit])
        #expect(!state.interruptedByKey)
        var other = Fixture.midScan()
        #expect(Fixture.press([.ctrl("c")], &other) == [.quit])
        #expect(other.interruptedByKey) // the command exits 130 for it
        var signalled = Fixture.midScan()
        #expect(Reducer.reduce(&signalled, .terminate) == [.quit])
        #expect(Reducer.reduce(&signalled, .terminate).isEmpty) // once
    }

    @Test func helpClosesOnAnyKeyWithoutActingOnIt() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("?")], &state)
        #expect(state.showHelp)
        #expect(Fixture.press([.char("q")], &state).isEmpty)
        #expect(!state.showHelp)
        _ = Fixture.press([.char("?")], &state)
        #expect(Fixture.press([.ctrl("c")], &state) == [.quit]) // Ctrl-C always quits
    }

    @Test func invalidPortSpecShowsTheParsersMessageAndChangesNothing() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("P"), .ctrl("u")], &state)
        #expect(state.input?.purpose == .ports)
        #expect(state.input?.string == "")
        _ = Fixture.type("1-70000", &state)
        let effects = Fixture.press([.enter], &state)
        #expect(effects.isEmpty)
        #expect(state.input?.error == SpecError.invalidPort("1-70000", why: "70000 is out of range 0-65535").description)
        #expect(state.request == Fixture.request())
        #expect(state.scan.id == 1)
        _ = Fixture.press([.escape], &state)
        #expect(state.input == nil)
        #expect(state.request == Fixture.request())
    }

    @Test func validPortSpecRestartsOverTheNewRange() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("P"), .ctrl("u")], &state)
        _ = Fixture.type("22,80,8000-8100", &state)
        let effects = Fixture.press([.enter], &state)
        var expected = Fixture.request()
        expected.ports = try! PortList(parsing: "22,80,8000-8100")
        #expect(effects == [.cancelScan(id: 1), .startScan(id: 2, expected)])
        #expect(state.input == nil)
    }

    @Test func invalidTargetShowsTheParsersMessage() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("r"), .ctrl("u")], &state)
        _ = Fixture.type("300.1.1.1", &state)
        #expect(Fixture.press([.enter], &state).isEmpty)
        #expect(state.input?.error == "invalid target '300.1.1.1': octet 300 is greater than 255")
        _ = Fixture.press([.ctrl("u")], &state)
        _ = Fixture.type("127.0.0.1-3", &state)
        let effects = Fixture.press([.enter], &state)
        #expect(state.request.targets == (try! TargetSet(parsing: ["127.0.0.1-3"])))
        #expect(effects.last == .startScan(id: 2, state.request))
    }

    @Test func tabSwitchesPaneAndHostKeysMoveTheSelection() {
        var state = Fixture.state(Fixture.request(targets: "127.0.0.1-3"))
        let hosts = (1...3).map { Fixture.address("127.0.0.\($0)") }
        Fixture.send(hosts.map { Fixture.up($0) }, to: &state)
        #expect(state.selectedHost == hosts[0])
        _ = Fixture.press([.tab], &state)
        #expect(state.view.focus == .hosts)
        _ = Fixture.press([.char("j"), .down], &state)
        #expect(state.selectedHost == hosts[2])
        _ = Fixture.press([.down], &state)
        #expect(state.selectedHost == hosts[2])
        _ = Fixture.press([.char("g")], &state)
        #expect(state.selectedHost == hosts[0])
        _ = Fixture.press([.char("G"), .up], &state)
        #expect(state.selectedHost == hosts[1])
        _ = Fixture.press([.char("l")], &state)
        #expect(state.view.focus == .grid)
    }

    @Test func gridCursorMovesByCellsRowsAndEnds() {
        var state = Fixture.midScan() // 1024 ports on 41 x 16 cells: 2 ports a cell
        let perRow = state.layout.cellsPerRow
        _ = Fixture.press([.right], &state)
        #expect(state.view.cursor == 2)
        _ = Fixture.press([.char("j")], &state)
        #expect(state.view.cursor == 2 + perRow * 2)
        _ = Fixture.press([.char("G")], &state)
        #expect(state.view.cursor == 1022)
        _ = Fixture.press([.down], &state) // no row below: stays
        #expect(state.view.cursor == 1022)
        _ = Fixture.press([.char("g")], &state)
        #expect(state.view.cursor == 0)
        _ = Fixture.press([.left], &state) // left of the first column goes to the host pane
        #expect(state.view.focus == .hosts)
    }

    @Test func zoomNarrowsTheGridToTheBucketUnderTheCursor() {
        var state = Fixture.state(Fixture.request(ports: "-"))
        Fixture.send([Fixture.up(Fixture.localhost), .started(Fixture.plan(state.request, hosts: [Fixture.localhost]))],
                     to: &state)
        _ = Fixture.press([.right, .right], &state) // third cell: ports 223-333 (111 a cell at 80x24)
        #expect(state.view.cursor == 222)
        _ = Fixture.press([.char("z")], &state)
        #expect(state.view.zoom == [222..<333])
        let (domain, buckets) = Reducer.gridGeometry(state)
        #expect(domain == 222..<333)
        #expect(buckets.size == 1)
        _ = Fixture.press([.char("G")], &state)
        #expect(state.view.cursor == 332)
        _ = Fixture.press([.char("z")], &state) // one port per cell: nothing deeper
        #expect(state.view.zoom.count == 1)
        _ = Fixture.press([.char("Z")], &state)
        #expect(state.view.zoom.isEmpty)
        #expect(state.view.cursor == 332) // the cursor keeps its port
    }

    @Test func filterKeepsHostsWithMatchingPorts() {
        var state = Fixture.state(Fixture.request(targets: "127.0.0.1-2", ports: "1-100"))
        let a = Fixture.address("127.0.0.1"), b = Fixture.address("127.0.0.2")
        Fixture.send([Fixture.up(a), Fixture.up(b), .started(Fixture.plan(state.request, hosts: [a, b])),
                      .results([Fixture.result(a, 22, .open), Fixture.result(b, 22, .closed)])], to: &state)
        _ = Fixture.press([.char("/")], &state)
        _ = Fixture.type("open", &state)
        _ = Fixture.press([.enter], &state)
        #expect(state.view.filter.states == [CellState(.open)])
        #expect(state.listedHosts == [a])
        _ = Fixture.press([.escape], &state)
        #expect(state.view.filter.isEmpty)
        #expect(state.listedHosts == [a, b])
    }

    @Test func cycleShowsOtherTechniquesThenAll() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("s")], &state)
        var syn = state.request
        syn.technique = .syn
        Fixture.send([.started(Fixture.plan(syn, hosts: [Fixture.localhost])),
                      .results([Fixture.result(Fixture.localhost, 25, .open, technique: .syn)])], to: &state)
        #expect(state.view.shown == .current)
        _ = Fixture.press([.char("c")], &state)
        #expect(state.view.shown == .only(.connect))
        _ = Fixture.press([.char("c")], &state)
        #expect(state.view.shown == .all)
        #expect(state.shownBoards.reduce(0) { $0 + $1.totals[CellState(.open)] } == 5)
        _ = Fixture.press([.char("c")], &state)
        #expect(state.view.shown == .current)
    }

    @Test func exportAsksForAFileAndHandsThePathOn() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("e"), .ctrl("u")], &state)
        #expect(Fixture.press([.enter], &state).isEmpty) // empty name refused
        #expect(state.input?.error != nil)
        _ = Fixture.type("/tmp/scan.json", &state)
        #expect(Fixture.press([.enter], &state) == [.export(path: "/tmp/scan.json")])
        _ = Reducer.reduce(&state, .exportFinished(FooterMessage(level: .info, text: "exported")))
        #expect(state.message?.text == "exported")
    }

    @Test func viewKeyTogglesTheOpenPortsList() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("v")], &state)
        #expect(state.view.mode == .list)
        #expect(PortListing.entries(state).map(\.port) == [22, 80, 443, 631])
        _ = Fixture.press([.char("G")], &state)
        #expect(state.view.listCursor == 3)
        _ = Fixture.press([.char("v")], &state)
        #expect(state.view.mode == .grid)
    }
}
