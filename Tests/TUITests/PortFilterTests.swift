import PortgridCore
import Testing
@testable import TUI

@Suite struct PortFilterTests {
    @Test func stateWordsSelectStates() {
        let filter = PortFilter(parsing: "open, open|filtered")
        #expect(filter.states == [CellState(.open), CellState(.openFiltered)])
        #expect(filter.words.isEmpty)
        #expect(filter.matches(state: CellState(.open)))
        #expect(!filter.matches(state: CellState(.closed)))
    }

    @Test func otherWordsMatchPortOrService() {
        let filter = PortFilter(parsing: "ssh 8080")
        #expect(filter.states.isEmpty)
        #expect(filter.matches(port: 22, service: "ssh"))
        #expect(filter.matches(port: 8080, service: "http-proxy"))
        #expect(!filter.matches(port: 80, service: "http"))
    }

    @Test func emptyMatchesEverythingAndListsOpenishStates() {
        let filter = PortFilter.none
        #expect(filter.isEmpty)
        #expect(filter.matches(state: .pending, port: 1, service: nil))
        #expect(filter.listedStates == [CellState(.open), CellState(.openFiltered), CellState(.unfiltered)])
    }
}
