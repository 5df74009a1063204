import Testing
@testable import ScanEngine

@Suite("a pass end's silent list")
struct SilentListTests {
    @Test("hosts silent on every item, then one with some items listed, then every item again, come back as listed")
    func everyItemAroundListed() {
        var list = SilentList(itemCount: 3)
        list.appendEveryItem(of: 7)
        list.appendEveryItem(of: 2)
        #expect(Array(list) == [SilentItems(host: 7, items: [0, 1, 2]), SilentItems(host: 2, items: [0, 1, 2])])
        list.append(host: 5, items: [1])
        list.appendEveryItem(of: 9)
        list.append(host: 4, items: [0, 2])
        #expect(Array(list) == [SilentItems(host: 7, items: [0, 1, 2]), SilentItems(host: 2, items: [0, 1, 2]),
                                SilentItems(host: 5, items: [1]), SilentItems(host: 9, items: [0, 1, 2]),
                                SilentItems(host: 4, items: [0, 2])])
        #expect((0..<list.count).map(list.host(at:)) == [7, 2, 5, 9, 4])
    }
}
