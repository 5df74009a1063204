import PortgridCore
import Testing
@testable import TUI

@Suite struct GridSourceTests {
    /// "All techniques": the union of the plans' ports, each showing its most interesting state.
    @Test func allTechniquesMergeOverTheUnionOfPorts() {
        let host = Fixture.localhost
        var tcp = TechniqueBoard(plan: ScanPlan(technique: .connect, hosts: [host], ports: PortSet([20...25]),
                                                timing: .normal))
        var udp = TechniqueBoard(plan: ScanPlan(technique: .udp, hosts: [host], ports: PortSet(ports: [23, 53, 161]),
                                                timing: .normal))
        tcp.apply([Fixture.result(host, 22, .open), Fixture.result(host, 23, .closed), Fixture.result(host, 24, .closed)])
        udp.apply([Fixture.result(host, 23, .openFiltered, technique: .udp), Fixture.result(host, 53, .open, technique: .udp)])
        let source = GridSource(boards: [tcp, udp], host: host)
        #expect(Array(source.ports) == [20, 21, 22, 23, 24, 25, 53, 161])
        #expect(source.states() == [.pending, .pending, CellState(.open), CellState(.openFiltered), CellState(.closed),
                                    .pending, CellState(.open), .pending])
        let details = source.details(at: 3) // port 23: both techniques, most interesting first
        #expect(details.map(\.technique) == [.udp, .connect])
        #expect(details.map(\.state) == [CellState(.openFiltered), CellState(.closed)])
    }

    @Test func aHostWithoutResultsIsAllPending() {
        let board = TechniqueBoard(plan: ScanPlan(technique: .connect, hosts: [Fixture.localhost], ports: PortSet([1...4]),
                                                  timing: .normal))
        #expect(GridSource(boards: [board], host: Fixture.localhost).states() == Array(repeating: .pending, count: 4))
        #expect(board.counts(of: Fixture.localhost)[.pending] == 4)
        #expect(board.counts(of: Fixture.address("127.0.0.9"))[.pending] == 0)
    }

    /// The filter hides what does not match; a bucket shows its most interesting visible port.
    @Test func filterHidesNonMatchingCells() {
        var state = Fixture.midScan()
        _ = Fixture.press([.char("/")], &state)
        _ = Fixture.type("open", &state)
        _ = Fixture.press([.enter], &state)
        var screen = MemoryScreen(cols: 80, rows: 24)
        Renderer.render(state, on: &screen)
        let layout = state.layout
        let firstRow = screen.row(layout.grid.y)
        let cells = firstRow.dropFirst(layout.grid.x + Layout.labelWidth).prefix(layout.cellsPerRow)
        // 2 ports a cell, 37 cells a row (ports 1-74): port 22 is the open one on the first row.
        #expect(cells.filter { $0 == "█" }.count == 1)
        #expect(!cells.contains("▪"))
        #expect(cells.dropFirst().allSatisfy { $0 == " " || $0 == "█" })
        #expect(screen.row(layout.legendRow).hasPrefix(" filter: open "))
    }

    /// Names come from the database the CLI loaded (nmap-services, /etc/services), not only ours.
    @Test func serviceNamesComeFromTheStatesDatabase() {
        var state = Fixture.midScan()
        state.services = ServiceNames(tcp: [631: "printing-custom"], udp: [:])
        _ = Fixture.press([.char("v"), .char("G")], &state)
        var screen = MemoryScreen(cols: 80, rows: 24)
        Renderer.render(state, on: &screen)
        #expect(screen.text.contains("631/tcp  open   printing-custom"))
        #expect(screen.row(state.layout.detailRow).contains("port 631 printing-custom"))
    }
}
