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

    /// -p- on an 80-column grid: 65,535 ports into 37 x 16 cells.
    @Test func allPortsOnANarrowGridAreBucketed() {
        let layout = Layout(ScreenSize(cols: 80, rows: 24))
        #expect(layout.cellsPerRow == 37)
        #expect(layout.gridRows == 16)
        let buckets = GridBuckets(count: 65_535, capacity: layout.gridCapacity)
        #expect(buckets.size == 111) // ceil(65535 / 592)
        #expect(buckets.cells == 591) // ceil(65535 / 111)
        #expect(buckets.cells <= layout.gridCapacity)
        #expect(buckets.range(ofCell: 0) == 0..<111)
        #expect(buckets.range(ofCell: 590) == 65_490..<65_535) // the last bucket is short
        #expect(buckets.cell(ofOffset: 21) == 0) // port 22 is in the first cell
        #expect(buckets.cell(ofOffset: 65_534) == 590)
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
                                   CellState(.filtered), CellState(.closedFiltered),
                                   CellState(.openFiltered), CellState(.unfiltered),
                                   CellState(.closed), CellState(.filtered)]       // closed beats filtered
        #expect(buckets.fold(states) == [CellState(.open), CellState(.closedFiltered), CellState(.openFiltered),
                                         CellState(.closed)])
    }

    @Test("a cell with some ports decided and some pending shows as partly scanned, at every zoom")
    func pendingIsNeverHiddenByADecidedPort() {
        let buckets = GridBuckets(count: 8, capacity: 4)
        let states: [CellState] = [CellState(.closed), .pending,        // one closed port does not paint it done
                                   .pending, .pending,                   // nothing decided: pending
                                   CellState(.open), .pending,           // open still wins
                                   CellState(.filtered), CellState(.closed)]
        #expect(buckets.fold(states) == [.partial, .pending, CellState(.open), CellState(.closed)])
        // 16 ports a cell, as at 80x24 on -p 1-10000: 15 closed and 1 pending is still unfinished.
        let wide = GridBuckets(count: 16, capacity: 1)
        #expect(wide.fold(Array(repeating: CellState(.closed), count: 15) + [.pending]) == [.partial])
        #expect(wide.fold(Array(repeating: CellState(.closed), count: 16)) == [CellState(.closed)])
    }

    @Test("partly scanned has a glyph of its own, in Unicode and in ASCII")
    func partialHasItsOwnGlyph() {
        for glyphs in [Glyphs.unicode, Glyphs.ascii] {
            let others = CellState.all.map(glyphs.glyph)
            #expect(!others.contains(glyphs.glyph(.partial)))
        }
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
