/// A set of ports, kept sorted, with nmap's compact spelling (`22,80,1000-1999`) for the command line,
/// the responder and nftables.
struct TestbedPorts: Hashable, Sendable, Sequence, ExpressibleByArrayLiteral {
    private(set) var sorted: [UInt16]

    init<S: Sequence>(_ ports: S) where S.Element == UInt16 { sorted = Array(Set(ports)).sorted() }
    init(arrayLiteral ports: UInt16...) { self.init(ports) }
    init(_ range: ClosedRange<UInt16>) { self.init(Array(range)) }

    static let all = TestbedPorts(1...65535)

    var count: Int { sorted.count }
    var isEmpty: Bool { sorted.isEmpty }
    func makeIterator() -> IndexingIterator<[UInt16]> { sorted.makeIterator() }
    func contains(_ port: UInt16) -> Bool { binarySearch(port) }

    static func + (a: TestbedPorts, b: TestbedPorts) -> TestbedPorts { TestbedPorts(a.sorted + b.sorted) }

    /// Runs of consecutive ports.
    var ranges: [ClosedRange<UInt16>] {
        var runs: [ClosedRange<UInt16>] = []
        for port in sorted {
            if let last = runs.last, last.upperBound &+ 1 == port, last.upperBound != .max {
                runs[runs.count - 1] = last.lowerBound...port
            } else {
                runs.append(port...port)
            }
        }
        return runs
    }

    /// `22,80,1000-1999`: what `-p`, the responder and nft all read.
    var spec: String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    private func binarySearch(_ port: UInt16) -> Bool {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < port { low = mid + 1 } else { high = mid }
        }
        return low < sorted.count && sorted[low] == port
    }
}
