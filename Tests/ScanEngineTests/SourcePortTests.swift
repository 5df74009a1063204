import Glibc
import PortgridCore
import Testing
@testable import ScanEngine

/// Probe sockets bound once to a port of the ephemeral range and kept through reuse.
@Suite struct SourcePortTests {
    @Test func candidatesWalkTheRangeAndWrap() {
        let picker = SourcePortPicker(range: 40_000...40_002, start: 1)
        #expect((0..<5).map { _ in picker.candidate() } == [40_001, 40_002, 40_000, 40_001, 40_002])
    }

    @Test func reusedSocketsKeepTheirBoundPortsAndBusyPortsAreSkipped() async {
        let network = FakeNetwork { destination, _ in
            destination.port == 7 ? .open(after: .milliseconds(1)) : .refuse(after: .milliseconds(1))
        }
        // Someone else holds every even port: each bind finds the next odd one.
        network.holdPorts(Set(stride(from: UInt16(50_000), through: 50_100, by: 2)))
        let picker = SourcePortPicker(range: 50_000...50_100, start: 0)
        let plan = EngineRun.plan(ports: Array(1...1_000), timing: EngineRun.timing(parallelism: 4))
        let run = await EngineRun.run(plan, on: network, ports: picker)
        #expect(run.results.count == 1_000)
        #expect(run.result(7)?.state == .open)
        #expect(run.results.filter { $0.state == .closed }.count == 999)
        #expect(network.binds > 0)
        #expect(network.binds <= network.socketsOpened)
        #expect(network.disconnects > 900, "refused sockets were reused")
        #expect(network.openSockets == 0)
    }

    @Test func aRangeWithNoFreePortLeavesTheSocketToTheKernel() async {
        let network = FakeNetwork { _, _ in .refuse(after: .milliseconds(1)) }
        network.holdPorts(Set(UInt16(60_000)...60_010))
        let picker = SourcePortPicker(range: 60_000...60_010, start: 0)
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...50)), on: network, ports: picker)
        #expect(run.results.count == 50)
        #expect(run.results.allSatisfy { $0.state == .closed })
        #expect(network.binds == 0)
    }
}
