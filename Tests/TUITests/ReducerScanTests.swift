import PortgridCore
import Testing
@testable import TUI

@Suite struct ReducerScanTests {
    @Test func resultsFillTheBoardAndCounts() {
        let state = Fixture.midScan()
        let board = try! #require(state.boards[.connect])
        #expect(board.totals[CellState(.open)] == 4)
        #expect(board.totals[CellState(.filtered)] == 5)
        #expect(board.totals[CellState(.closed)] == 691)
        #expect(board.totals[.pending] == 324)
        let host = try! #require(board.ports(of: Fixture.localhost))
        #expect(host.state(at: 21) == CellState(.open)) // port 22
        #expect(host.reason(at: 21) == .synAck)
        #expect(host.rtt(at: 21) == .microseconds(60))
        #expect(host.rtt(at: 0) == nil) // closed ports keep no round trip
        #expect(state.scan.phase == .running)
        #expect(state.scan.progress?.completed == 700)
    }

    @Test func aLaterResultReplacesTheEarlierOne() {
        var state = Fixture.midScan()
        Fixture.send([.results([Fixture.result(Fixture.localhost, 22, .closed)])], to: &state)
        let board = state.boards[.connect]!
        #expect(board.totals[CellState(.open)] == 3)
        #expect(board.totals[CellState(.closed)] == 692)
        #expect(board.totals.known + board.totals[.pending] == 1024)
    }

    @Test func hostsAppearSortedAsTheyAreDiscovered() {
        var state = Fixture.state(Fixture.request(targets: "127.0.0.1-9"))
        for last in [5, 2, 9, 2] { Fixture.send([Fixture.up(Fixture.address("127.0.0.\(last)"))], to: &state) }
        #expect(state.hosts.listed.map(\.description) == ["127.0.0.2", "127.0.0.5", "127.0.0.9"])
        Fixture.send([.host(HostResult(address: Fixture.address("127.0.0.7"), status: .down, reason: .noResponse))],
                     to: &state)
        #expect(state.hosts.upCount == 3)
        #expect(state.hosts.downCount == 1)
        // A batch of hosts found down counts each; one already up stays up.
        let down = ["127.0.0.7", "127.0.0.8", "127.0.0.5"].map(Fixture.address)
        Fixture.send([.hostsDown(DownHosts(down))], to: &state)
        #expect(state.hosts.upCount == 3)
        #expect(state.hosts.downCount == 2)
    }

    @Test func aReplyProvesAHostUp() {
        var state = Fixture.state()
        let request = state.request
        Fixture.send([.started(Fixture.plan(request, hosts: [Fixture.localhost])),
                      .results([Fixture.result(Fixture.localhost, 1, .closed)])], to: &state)
        #expect(state.hosts.listed == [Fixture.localhost])
    }

    @Test func aReplacedScansResultsStillCountButItsProgressDoesNot() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("s")], &state) // scan 2 replaces scan 1
        Fixture.send([.results([Fixture.result(Fixture.localhost, 1000, .open)]),
                      .progress(ScanProgress(completed: 1, total: 1, probesSent: 1, rate: 1, elapsed: .seconds(9))),
                      .finished(ScanSummary(outcome: .cancelled, elapsed: .seconds(9), probesSent: 1))],
                     to: &state, id: 1)
        #expect(state.boards[.connect]?.totals[CellState(.open)] == 5)
        #expect(state.scan.id == 2)
        #expect(state.scan.progress == nil)
        #expect(state.scan.isRunning)
    }

    @Test func aFailedScanSaysWhyInTheFooter() {
        var state = Fixture.state(Fixture.request(technique: .udp))
        Fixture.send([.notice(Notice(.error, "UDP scan (-sU) needs root or CAP_NET_RAW: run with sudo, or use -sT")),
                      .finished(ScanSummary(outcome: .failed, elapsed: .milliseconds(3), probesSent: 0,
                                            error: "UDP scan (-sU) needs root or CAP_NET_RAW: run with sudo, or use -sT"))],
                     to: &state)
        #expect(state.scan.phase == .finished(.failed))
        #expect(state.message == FooterMessage(level: .error, text: "UDP scan (-sU) needs root or CAP_NET_RAW: run with sudo, or use -sT"))
    }

    @Test func aFallbackNoticeStaysAndTheHeaderShowsTheTechniqueUsed() {
        var state = Fixture.state(Fixture.request(technique: .syn))
        var used = state.request
        used.technique = .connect
        Fixture.send([.notice(Notice(.warning, "SYN scan needs root or CAP_NET_RAW; falling back to TCP connect scan (-sT)")),
                      .started(Fixture.plan(used, hosts: [Fixture.localhost])),
                      .finished(ScanSummary(outcome: .completed, elapsed: .seconds(1), probesSent: 1024))], to: &state)
        #expect(state.currentTechnique == .connect)
        #expect(state.message?.level == .warning)
        _ = Fixture.press([.char("v")], &state) // keys leave a warning up
        #expect(state.message?.level == .warning)
    }

    @Test("each run counts from zero, and a replaced run's late results stay off the new run's counts")
    func eachRunShowsItsOwnCounts() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("s")], &state)
        _ = Fixture.press([.char("t")], &state)
        Fixture.send([.started(Fixture.plan(state.request, hosts: [Fixture.localhost]))], to: &state)
        #expect(state.boards[.connect]?.totals[CellState(.open)] == 0)
        #expect(state.boards[.connect]?.totals[.pending] == 1024)
        // The first run (scan 1) still sends what it found before it stopped.
        Fixture.send([.results([Fixture.result(Fixture.localhost, 22, .open)])], to: &state, id: 1)
        #expect(state.boards[.connect]?.totals[CellState(.open)] == 0)
        Fixture.send([.results([Fixture.result(Fixture.localhost, 22, .open)])], to: &state)
        #expect(state.boards[.connect]?.totals[CellState(.open)] == 1)
    }

    /// -p- on several hosts: every result is folded once. Speed is the benchmark's to show
    /// (Benchmarks/bench-tui.sh); the time limit only stops a hang, it asserts no pace.
    @Test("-p- of five hosts folds all 327,675 results onto the board", .timeLimit(.minutes(5)))
    func foldingAllPortsOfSeveralHosts() {
        var state = Fixture.state(Fixture.request(targets: "127.0.0.1-5", ports: "-"))
        let hosts = (1...5).map { Fixture.address("127.0.0.\($0)") }
        Fixture.send(hosts.map { Fixture.up($0) } + [.started(Fixture.plan(state.request, hosts: hosts))], to: &state)
        do {
            for host in hosts {
                var batch: [PortResult] = []
                batch.reserveCapacity(512)
                for port in UInt16(1)...65535 {
                    batch.append(Fixture.result(host, port, port % 1000 == 0 ? .open : .closed))
                    if batch.count == 512 { Fixture.send([.results(PortResults(batch))], to: &state); batch.removeAll(keepingCapacity: true) }
                }
                Fixture.send([.results(PortResults(batch))], to: &state)
            }
        }
        let board = state.boards[.connect]!
        #expect(board.totals[CellState(.open)] == 5 * 65)
        #expect(board.totals[.pending] == 0)
    }
}

@Suite struct HostDirectoryTests {
    /// A ping sweep of a /16 reports hosts in a random order: the list stays sorted. Its speed is
    /// the benchmark's to show; the time limit only stops a hang.
    @Test("65,536 hosts reported in a random order are listed sorted, each once", .timeLimit(.minutes(5)))
    func manyHostsInRandomOrderStaySorted() {
        var directory = HostDirectory()
        var order = (0..<65_536).map { IPAddress.v4(IPv4Address(UInt32(0xC612_0000) + UInt32($0))) }
        var generator = SystemRandomNumberGenerator()
        order.shuffle(using: &generator)
        for address in order { directory.record(HostResult(address: address, status: .up, reason: .echoReply)) }
        let listed = directory.listed
        #expect(listed.count == 65_536)
        #expect(directory.upCount == 65_536)
        #expect(zip(listed, listed.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func upIsStickyAndDuplicatesAreListedOnce() {
        var directory = HostDirectory()
        let a = Fixture.address("198.18.0.9"), b = Fixture.address("198.18.0.3")
        directory.record(HostResult(address: a, status: .up, reason: .echoReply))
        directory.record(HostResult(address: b, status: .up, reason: .echoReply))
        directory.record(HostResult(address: a, status: .down, reason: .noResponse))
        directory.record(HostResult(address: a, status: .up, reason: .synAck))
        #expect(directory.listed == [b, a])
        #expect(directory[a]?.status == .up)
    }
}

@Suite struct HostSearchTests {
    @Test("the host search matches an IPv4 address's text anywhere in it, as the address is printed")
    func searchMatchesTheAddressText() {
        var generator = SystemRandomNumberGenerator()
        let needles = ["1", "0.0", "255", "10.", ".7", "198.18.200.7", "2001", "x", "1.2.3.4.5.6.7.8.9"]
        for _ in 0..<2_000 {
            let address = IPAddress.v4(IPv4Address(UInt32.random(in: 0...UInt32.max, using: &generator)))
            for needle in needles {
                #expect(HostSearch(needle).matches(address, name: nil) == address.description.contains(needle), "\(address) \(needle)")
            }
        }
        #expect(HostSearch("198.18.0.1").matches(Fixture.address("198.18.0.10"), name: nil))
        #expect(!HostSearch("198.18.0.1").matches(Fixture.address("198.18.1.0"), name: nil))
    }

    @Test("a name matches case-insensitively, and an IPv6 address by its text")
    func namesAndIPv6Match() {
        #expect(HostSearch("Web").matches(Fixture.address("198.18.0.2"), name: "www.WEB.test"))
        #expect(!HostSearch("mail").matches(Fixture.address("198.18.0.2"), name: "www.web.test"))
        #expect(HostSearch("2::1").matches(Fixture.address("2001:2::1"), name: nil))
        #expect(HostSearch("2001:2").matches(Fixture.address("2001:2::1"), name: nil))
    }
}
