import PortgridCore
import Testing
@testable import TUI

/// A finished host is kept as a summary (commonest state and the ports that differ), and reads
/// exactly as it did before.
@Suite struct HostPortsTests {
    func finishedHost(open: [Int] = [21, 79, 442], count: Int = 1000) -> HostPorts {
        var ports = HostPorts(portCount: count)
        for index in 0..<count {
            let state: PortState = open.contains(index) ? .open : .closed
            ports.record(Fixture.result(Fixture.localhost, UInt16(index + 1), state), at: index)
        }
        return ports
    }

    @Test("a host with no port pending folds into a summary that reads the same")
    func foldsWhenDone() {
        var ports = HostPorts(portCount: 1000)
        for index in 0..<999 { ports.record(Fixture.result(Fixture.localhost, UInt16(index + 1), .closed), at: index) }
        #expect(!ports.isFolded) // one port still pending
        ports.record(Fixture.result(Fixture.localhost, 1000, .open), at: 999)
        #expect(ports.isFolded)
        #expect(ports.state(at: 999) == CellState(.open))
        #expect(ports.state(at: 0) == CellState(.closed))
        #expect(ports.reason(at: 0) == .connRefused)
        #expect(ports.reason(at: 999) == .synAck)
        #expect(ports.cellStates().filter { $0 == CellState(.open) }.count == 1)
        #expect(ports.positions(in: [CellState(.open)]) == [999])
        #expect(ports.counts[CellState(.closed)] == 999)
    }

    @Test("a late answer for a folded host changes only that port")
    func lateAnswers() {
        var ports = finishedHost()
        #expect(ports.isFolded)
        #expect(ports.record(Fixture.result(Fixture.localhost, 23, .open), at: 22) == CellState(.closed))
        #expect(ports.positions(in: [CellState(.open)]) == [21, 22, 79, 442])
        ports.record(Fixture.result(Fixture.localhost, 22, .closed), at: 21)
        #expect(ports.positions(in: [CellState(.open)]) == [22, 79, 442])
        #expect(ports.state(at: 21) == CellState(.closed))
        #expect(ports.counts[CellState(.open)] == 3)
    }

    @Test("a host of many different states stays in arrays")
    func mixedHostsStayUnfolded() {
        let ports = finishedHost(open: Array(stride(from: 0, to: 1000, by: 3)))
        #expect(!ports.isFolded)
        #expect(ports.positions(in: [CellState(.open)]).count == 334)
    }

    @Test("open ports keep their round trips, replaced by a later answer and dropped when the port closes, for a few ports as for an ACK scan's every port")
    func roundTripsOfFewAndMany() {
        var few = HostPorts(portCount: 100)
        few.record(Fixture.result(Fixture.localhost, 1, .open, rtt: .microseconds(40)), at: 0)
        few.record(Fixture.result(Fixture.localhost, 2, .closed, rtt: .microseconds(50)), at: 1)
        #expect(few.rtt(at: 0) == .microseconds(40) && few.rtt(at: 1) == nil)
        few.record(Fixture.result(Fixture.localhost, 1, .open, rtt: .microseconds(45)), at: 0)
        #expect(few.rtt(at: 0) == .microseconds(45))
        few.record(Fixture.result(Fixture.localhost, 1, .closed, rtt: .microseconds(45)), at: 0)
        #expect(few.rtt(at: 0) == nil)
        var many = HostPorts(portCount: 1000)
        for index in 0 ..< 1000 {
            many.record(Fixture.result(Fixture.localhost, UInt16(index + 1), .unfiltered, technique: .ack,
                                       rtt: .microseconds(index + 1)), at: index)
        }
        #expect((0 ..< 1000).allSatisfy { many.rtt(at: $0) == .microseconds($0 + 1) })
        many.record(Fixture.result(Fixture.localhost, 500, .closed, technique: .ack), at: 499)
        #expect(many.rtt(at: 499) == nil && many.rtt(at: 500) == .microseconds(501))
    }
}


@Suite struct StateCountsLayoutTests {
    @Test("a host's state counts are held inline, with a slot for every state a cell counts")
    func countsAreInline() {
        #expect(CellState.count == StateCounts.slots)
        #expect(MemoryLayout<StateCounts>.size == StateCounts.slots * MemoryLayout<Int>.size)
        var counts = StateCounts()
        for state in CellState.all { counts[state] = Int(state.rawValue) + 1 }
        #expect(CellState.all.allSatisfy { counts[$0] == Int($0.rawValue) + 1 } && counts[.hidden] == 0)
    }
}
