import Testing
@testable import PortgridCore

/// PortSet built from a list of single ports: the flat-table path for big lists gives exactly the
/// ranges the sorting path gives for small ones.
@Suite struct PortSetBuildTests {
    func bySorting(_ ports: [UInt16]) -> PortSet { PortSet(ports.map { $0...$0 }) }

    @Test func bigListsMatchTheSortingPath() {
        var generator = SystemRandomNumberGenerator()
        for size in [257, 1_000, 20_000, 70_000] {
            var ports = (0..<size).map { _ in UInt16.random(in: 0...UInt16.max, using: &generator) }
            ports += [0, 65_535, 65_535, 1, 2, 3]
            let built = PortSet(ports: ports)
            #expect(built == bySorting(ports), "size \(size)")
            #expect(built.count == Set(ports).count)
        }
    }

    @Test func theEdgesAndRunsComeOutAsRanges() {
        let ports: [UInt16] = Array(100...400) + [65_535, 0, 7, 9, 8] + Array(300...350)
        let built = PortSet(ports: ports)
        #expect(built.ranges == [0...0, 7...9, 100...400, 65_535...65_535])
        #expect(built == bySorting(ports))
    }
}
