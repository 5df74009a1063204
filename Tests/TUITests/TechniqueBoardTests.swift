import PortgridCore
import Testing
@testable import TUI

@Suite("a technique's board: flat rows for small plans, per-host ports for large ones")
struct TechniqueBoardTests {
    static func board(ports: PortSet, hosts: [IPAddress]) -> TechniqueBoard {
        TechniqueBoard(plan: ScanPlan(technique: .syn, hosts: HostList(hosts), ports: ports, timing: .normal))
    }

    /// The same results on a 63-port plan (kept flat) and on a 64-port plan (a `HostPorts` a host)
    /// read the same for the ports both plan.
    @Test("a small plan's flat rows read as a large plan's per-host ports do: states, reasons, round trips, counts")
    func flatRowsReadAsPerHostPortsDo() throws {
        let hosts = (1...3).map { Fixture.address("198.18.0.\($0)") }
        var small = Self.board(ports: PortSet([1...63]), hosts: hosts)
        var large = Self.board(ports: PortSet([1...64]), hosts: hosts)
        let results = [
            Fixture.result(hosts[0], 22, .open, technique: .syn),
            Fixture.result(hosts[0], 23, .closed, technique: .syn),
            Fixture.result(hosts[2], 5, .filtered, technique: .syn),
            Fixture.result(hosts[0], 22, .closed, technique: .syn), // a later answer replaces the first
            Fixture.result(hosts[2], 63, .open, technique: .syn),
        ]
        let smallOld = results.map { small.record($0) }
        let largeOld = results.map { large.record($0) }
        #expect(smallOld == largeOld)
        #expect(smallOld[3] == CellState(.open))
        for host in hosts {
            let a = small.ports(of: host), b = large.ports(of: host)
            #expect((a == nil) == (b == nil))
            guard let a, let b else { continue }
            for index in 0..<63 {
                #expect(a.state(at: index) == b.state(at: index))
                #expect(a.reason(at: index) == b.reason(at: index))
                #expect(a.rtt(at: index) == b.rtt(at: index))
            }
            var largeCounts = b.counts
            largeCounts[.pending] -= 1 // port 64, planned only by the large board
            #expect(small.counts(of: host) == largeCounts)
        }
        #expect(small.ports(of: hosts[1]) == nil && small.counts(of: hosts[1])[.pending] == 63)
        #expect(small.counts(of: hosts[2])[CellState(.open)] == 1)
        #expect(small.ports(of: hosts[2])?.rtt(at: 62) != nil, "an open port keeps its round trip")
        #expect(small.totals[.pending] == 3 * 63 - 4 && small.totals[CellState(.closed)] == 2)
    }

    @Test("a result from a host outside the plan gets its row and its pending ports counted")
    func aHostOutsideThePlanIsCounted() {
        var board = Self.board(ports: PortSet([1...4]), hosts: [Fixture.address("198.18.0.1")])
        let stray = Fixture.address("198.18.0.9")
        #expect(board.counts(of: stray)[.pending] == 0)
        board.record(Fixture.result(stray, 2, .open, technique: .syn))
        #expect(board.counts(of: stray)[.pending] == 3 && board.counts(of: stray)[CellState(.open)] == 1)
        #expect(board.totals[.pending] == 4 + 3)
    }

    @Test("plan positions: a CIDR block by subtraction, any other list by lookup, a repeated address at its first")
    func planPositionsFindEveryPlannedHost() {
        let block = (0..<256).map { Fixture.address("198.18.1.\($0)") }
        let run = PlanPositions(HostList(block))
        #expect(run[Fixture.address("198.18.1.0")] == 0 && run[Fixture.address("198.18.1.255")] == 255)
        #expect(run[Fixture.address("198.18.2.0")] == nil && run[Fixture.address("198.18.0.255")] == nil)
        #expect(run[Fixture.address("2001:2::1")] == nil)
        let mixed = ["198.18.0.9", "2001:2::1", "198.18.0.3", "198.18.0.9"].map(Fixture.address)
        let list = PlanPositions(HostList(mixed))
        #expect(list[mixed[0]] == 0 && list[mixed[1]] == 1 && list[mixed[2]] == 2)
        #expect(list[Fixture.address("198.18.0.4")] == nil)
        let top = PlanPositions(HostList(["255.255.255.255", "0.0.0.0"].map(Fixture.address)))
        #expect(top[Fixture.address("0.0.0.0")] == 1, "a wrap past the top is not a run")
    }
}
