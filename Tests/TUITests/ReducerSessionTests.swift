import PortgridCore
import Testing
@testable import TUI

/// One scan, one truth; what the session hands the report; the log; the key table.
@Suite struct ReducerSessionTests {
    static let done = ScanEvent.finished(ScanSummary(outcome: .completed, elapsed: .milliseconds(760), probesSent: 1024))

    @Test("r to a smaller range replaces the host list: old hosts leave the screen and the counts")
    func newRangeReplacesTheHosts() {
        let request = Fixture.request(targets: "127.0.0.0/29", ports: "1-10")
        var state = Fixture.state(request)
        let hosts = (0...7).map { Fixture.address("127.0.0.\($0)") }
        Fixture.send(hosts.map { Fixture.up($0) } + [.started(Fixture.plan(request, hosts: hosts))], to: &state)
        #expect(state.hosts.upCount == 8)
        _ = Fixture.press([.char("r"), .ctrl("u")], &state)
        _ = Fixture.type("127.0.0.1", &state)
        let effects = Fixture.press([.enter], &state)
        #expect(effects.count == 2)
        #expect(state.hosts.upCount == 0)
        #expect(state.boards.isEmpty)
        // The old scan's last words are about hosts no longer asked for.
        Fixture.send([Fixture.up(hosts[0]), .results([Fixture.result(hosts[0], 5, .open)])], to: &state, id: 1)
        #expect(state.hosts.upCount == 0)
        var narrowed = request
        narrowed.targets = try! TargetSet(parsing: ["127.0.0.1"])
        Fixture.send([Fixture.up(hosts[1]), .started(Fixture.plan(narrowed, hosts: [hosts[1]]))], to: &state)
        #expect(state.listedHosts == [hosts[1]])
        #expect(state.selectedHost == hosts[1])
        #expect(state.boards[.connect]?.totals[.pending] == 10)
        #expect(state.changes == ["targets 127.0.0.0/29 -> 127.0.0.1"])
    }

    @Test("the store behind the report drops hosts outside a new range when its first scan starts")
    func storeKeepsOnlyTheNewRange() {
        var store = ResultStore()
        let a = Fixture.address("127.0.0.1"), b = Fixture.address("127.0.0.2")
        store.apply(.results([Fixture.result(a, 22, .open), Fixture.result(b, 22, .closed)]))
        let kept = store.keeping(hosts: [a])
        #expect(kept.sortedHosts.map(\.address) == [a])
        #expect(kept.resultCount == 1)
    }

    @Test("changes made in the TUI become one sentence each, in order")
    func changesAreRecorded() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("s"), .char("4"), .char("-")], &state)
        _ = Fixture.press([.char("P"), .ctrl("u")], &state)
        _ = Fixture.type("22,80", &state)
        _ = Fixture.press([.enter], &state)
        #expect(state.changes == ["technique TCP connect (-sT) -> TCP SYN (-sS)",
                                  "timing T4 aggressive, applied to the running scan",
                                  "max rate 300k/s", // the new scan has no measured rate yet: the top step
                                  "ports 1-1024 -> 22,80"])
    }

    @Test("scanning time sums every scan of the session, not the time the screen stayed open")
    func scanElapsedSumsTheScans() {
        var state = Fixture.midScan() // 4.9 s into scan 1
        _ = Fixture.press([.char("s")], &state)  // scan 1 replaced after 4.9 s
        Fixture.send([.started(Fixture.plan(state.request, hosts: [Fixture.localhost])), Self.done], to: &state)
        #expect(state.scanElapsed == .milliseconds(4_900 + 760))
        state.now = .seconds(300) // sitting in the finished TUI adds nothing
        #expect(state.scanElapsed == .milliseconds(5_660))
        #expect(Fixture.state().scanElapsed == .zero)
    }

    @Test("the log keeps discoveries, notices and changes with their times")
    func logKeepsWhatHappened() {
        var state = Fixture.state(Fixture.request(ports: "1-100"))
        state.now = .seconds(3)
        Fixture.send([.started(Fixture.plan(state.request, hosts: [Fixture.localhost])),
                      .results([Fixture.result(Fixture.localhost, 22, .open), Fixture.result(Fixture.localhost, 23, .closed)]),
                      .notice(Notice(.warning, "host 127.0.0.1 rate-limits ICMP"))], to: &state)
        // The same port again (a retry's answer) is not news.
        Fixture.send([.results([Fixture.result(Fixture.localhost, 22, .open)])], to: &state)
        state.now = .seconds(65)
        _ = Fixture.press([.char("5")], &state)
        let lines = state.log.entries.map { "\(Format.clock($0.at)) \($0.text)" }
        #expect(lines == ["00:03 TCP connect scan started: 1 host x 100 ports, T3",
                          "00:03 discovered open port 22/tcp on 127.0.0.1",
                          "00:03 host 127.0.0.1 rate-limits ICMP",
                          "01:05 timing T5 insane, applied to the running scan"])
    }

    @Test("--packet-trace lines go to the log, never to the footer or over the screen")
    func traceLinesGoToTheLog() {
        var state = Fixture.state(Fixture.request(ports: "1-100"))
        state.now = .seconds(2)
        let line = "SENT (0.0123s) TCP 127.0.0.1:54321 > 127.0.0.1:22 S ttl=64 id=1 iplen=44  seq=1 win=1024 <mss 1460>"
        Fixture.send([.started(Fixture.plan(state.request, hosts: [Fixture.localhost])), .trace(line)], to: &state)
        #expect(state.log.entries.last?.text == line)
        #expect(state.message?.text != line)
    }

    @Test("the log is bounded and scrolls back with the log pane focused")
    func logScrolls() {
        var state = Fixture.midScan(cols: 120, rows: 40)
        for i in 0..<(EventLog.limit + 10) { state.log.add(.info, "line \(i)", at: .zero) }
        #expect(state.log.count <= EventLog.limit)
        #expect(state.log.count + state.log.dropped == EventLog.limit + 10 + 5)
        _ = Fixture.press([.tab], &state) // grid -> log (the panels show at 120x40)
        #expect(state.view.focus == .log)
        _ = Fixture.press([.up, .up], &state)
        #expect(state.view.logBack == 2)
        _ = Fixture.press([.char("G")], &state)
        #expect(state.view.logBack == 0)
    }

    @Test("o sorts hosts by open ports, then RTT; / in the host pane searches them")
    func sortAndSearchHosts() {
        let request = Fixture.request(targets: "127.0.0.1-3", ports: "1-10")
        var state = Fixture.state(request)
        let hosts = (1...3).map { Fixture.address("127.0.0.\($0)") }
        Fixture.send([Fixture.up(hosts[0], rtt: .microseconds(900)), Fixture.up(hosts[1], rtt: .microseconds(100)),
                      Fixture.up(hosts[2], rtt: .microseconds(500)), .started(Fixture.plan(request, hosts: hosts)),
                      .results([Fixture.result(hosts[2], 1, .open), Fixture.result(hosts[2], 2, .open),
                                Fixture.result(hosts[1], 1, .open)])], to: &state)
        _ = Fixture.press([.tab, .char("o")], &state)
        #expect(state.listedHosts == [hosts[2], hosts[1], hosts[0]])
        _ = Fixture.press([.char("o")], &state)
        #expect(state.listedHosts == [hosts[1], hosts[2], hosts[0]])
        _ = Fixture.press([.char("/")], &state)
        #expect(state.input?.purpose == .search)
        _ = Fixture.type(".3", &state)
        _ = Fixture.press([.enter], &state)
        #expect(state.listedHosts == [hosts[2]])
        _ = Fixture.press([.escape], &state)
        #expect(state.listedHosts.count == 3)
    }

    @Test("a host taken up without a probe (-Pn) gets its round trip from its first answered port")
    func rttFromTheFirstAnswer() {
        var state = Fixture.state()
        Fixture.send([Fixture.up(Fixture.localhost, rtt: nil), .started(Fixture.plan(state.request, hosts: [Fixture.localhost])),
                      .results([Fixture.result(Fixture.localhost, 22, .open, rtt: .microseconds(590))])], to: &state)
        #expect(state.hosts[Fixture.localhost]?.rtt == .microseconds(590))
        #expect(Format.rtt(.microseconds(590)) == "0.59ms")
    }

    @Test("a click selects the host or the cell under it; the wheel scrolls")
    func mouse() {
        let request = Fixture.request(targets: "127.0.0.1-3", ports: "1-1024")
        var state = Fixture.state(request)
        let hosts = (1...3).map { Fixture.address("127.0.0.\($0)") }
        Fixture.send(hosts.map { Fixture.up($0) } + [.started(Fixture.plan(request, hosts: hosts))], to: &state)
        let layout = state.layout
        _ = Reducer.reduce(&state, .mouse(Mouse(kind: .click, x: 3, y: layout.hosts.y + 3)))
        #expect(state.view.focus == .hosts)
        #expect(state.selectedHost == hosts[2])
        _ = Reducer.reduce(&state, .mouse(Mouse(kind: .wheelUp, x: 3, y: layout.hosts.y + 3)))
        #expect(state.selectedHost == hosts[1])
        // Third cell of the second grid row: 2 ports a cell, 37 cells a row.
        _ = Reducer.reduce(&state, .mouse(Mouse(kind: .click, x: layout.grid.x + Layout.labelWidth + 2, y: layout.grid.y + 1)))
        #expect(state.view.focus == .grid)
        #expect(state.view.cursor == (37 + 2) * 2)
    }
}

/// The key table is the one source of keys: no key means two things in one place, and the help
/// and the footer show only what the table holds.
@Suite struct KeyTableTests {
    @Test("no key is bound twice in the same context")
    func noClashes() {
        for context in KeyContext.allCases {
            var seen: [Key: Command] = [:]
            for binding in KeyTable.bindings where binding.contexts.contains(context) {
                for key in binding.keys {
                    #expect(seen[key] == nil, "\(key) in \(context): \(String(describing: seen[key])) and \(binding.command)")
                    seen[key] = binding.command
                }
            }
        }
    }

    @Test("every technique has a letter, and the help lists every binding")
    func helpListsEverything() {
        let lines = KeyTable.helpLines()
        for technique in Technique.allCases {
            let letter = String(KeyTable.key(of: technique))
            #expect(lines.contains { $0.keys == letter && $0.text.contains(technique.flag) })
        }
        for binding in KeyTable.bindings {
            #expect(lines.contains { $0.keys == binding.label && $0.text == binding.help }, "\(binding.label)")
        }
    }

    @Test("the footer shows only keys the reducer handles in the focused pane")
    func footerComesFromTheTable() {
        var state = Fixture.midScan()
        for (keys, _) in KeyTable.footer(state) {
            for label in keys.split(separator: " ") {
                #expect(KeyTable.bindings.contains { $0.label == label && $0.contexts.contains(state.keyContext) }, "\(label)")
            }
        }
        #expect(KeyTable.footer(state).contains { $0.keys == "s t u f n x a p" && $0.what == "technique" })
        #expect(!KeyTable.footer(state).contains { $0.what == "search" })
        _ = Fixture.press([.tab], &state)
        #expect(KeyTable.footer(state).contains { $0.keys == "/" && $0.what == "search" })
    }
}
