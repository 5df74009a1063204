import PortgridCore
import Testing
@testable import TUI

@Suite struct GridBucketsTests {
    @Test func everyPortGetsACellWhenTheyFit() {
        let buckets = GridBuckets(count: 1024, capacity: 2000)
        #expect(buckets.size == 1)
        #expect(buckets.cells == 1024)
        #expect(buckets.range(ofCell: 21) == 21..<22)
    }

    /// -p- on an 80-column grid: 65,535 ports into 41 x 16 cells.
    @Test func allPortsOnANarrowGridAreBucketed() {
        let layout = Layout(ScreenSize(cols: 80, rows: 24))
        #expect(layout.cellsPerRow == 41)
        #expect(layout.gridRows == 16)
        let buckets = GridBuckets(count: 65_535, capacity: layout.gridCapacity)
        #expect(buckets.size == 100) // ceil(65535 / 656)
        #expect(buckets.cells == 656) // ceil(65535 / 100)
        #expect(buckets.cells <= layout.gridCapacity)
        #expect(buckets.range(ofCell: 0) == 0..<100)
        #expect(buckets.range(ofCell: 655) == 65_500..<65_535) // the last bucket is short
        #expect(buckets.cell(ofOffset: 21) == 0) // port 22 is in the first cell
        #expect(buckets.cell(ofOffset: 65_534) == 655)
        // Every port lies in exactly one cell.
        let covered = (0..<buckets.cells).reduce(0) { $0 + buckets.range(ofCell: $1).count }
        #expect(covered == 65_535)
    }

    @Test func mostInterestingStateWins() {
        // The order people care about: open > open|filtered > unfiltered > closed > filtered > pending.
        let order: [CellState] = [.pending, CellState(.filtered), CellState(.closedFiltered), CellState(.closed),
                                  CellState(.unfiltered), CellState(.openFiltered), CellState(.open)]
        #expect(order == order.sorted())
        let buckets = GridBuckets(count: 8, capacity: 4) // 2 ports per cell
        let states: [CellState] = [CellState(.closed), CellState(.open),          // open beats closed
                                   CellState(.filtered), .pending,                 // filtered beats pending
                                   CellState(.openFiltered), CellState(.unfiltered),
                                   CellState(.closed), CellState(.filtered)]       // closed beats filtered
        #expect(buckets.fold(states) == [CellState(.open), CellState(.filtered), CellState(.openFiltered), CellState(.closed)])
    }

    @Test func hiddenCellsLoseToAnythingVisible() {
        let buckets = GridBuckets(count: 4, capacity: 2)
        #expect(buckets.fold([.hidden, .pending, .hidden, .hidden]) == [.pending, .hidden])
    }

    @Test func degenerateSizesNeverTrap() {
        #expect(GridBuckets(count: 0, capacity: 10).cells == 0)
        #expect(GridBuckets(count: 10, capacity: 0).size == 10)
        #expect(GridBuckets(count: 0, capacity: 0).cell(ofOffset: 5) == 0)
    }
}
