/// A set of ports as sorted, disjoint, non-adjacent ranges: `-p-` is one range, not 65,535 values,
/// and the n-th port is found by binary search over running counts.
public struct PortSet: Hashable, Sendable, Sequence, CustomStringConvertible {
    public private(set) var ranges: [ClosedRange<UInt16>]
    /// starts[i] = how many ports lie in ranges[0..<i]
    private var starts: [Int]

    public init() { ranges = []; starts = [] }

    public init(_ ranges: [ClosedRange<UInt16>]) {
        self.ranges = []
        self.starts = []
        self.ranges = Self.normalize(ranges)
        reindex()
    }

    public init(ports: [UInt16]) {
        if ports.count > 256 {
            self.init(normalized: Self.runs(of: ports))
        } else {
            self.init(ports.map { $0...$0 })
        }
    }

    /// Ranges already sorted, disjoint and non-adjacent.
    private init(normalized: [ClosedRange<UInt16>]) {
        ranges = normalized
        starts = []
        reindex()
    }

    /// Reports fold tens of thousands of ports into one set: a flat table read once in order
    /// beats sorting a range per port.
    private static func runs(of ports: [UInt16]) -> [ClosedRange<UInt16>] {
        var present = [Bool](repeating: false, count: 65_536)
        for port in ports { present[Int(port)] = true }
        var ranges: [ClosedRange<UInt16>] = []
        var start: Int?
        for port in 0...65_536 {
            let here = port < 65_536 && present[port]
            if here, start == nil { start = port }
            if !here, let first = start {
                ranges.append(UInt16(first)...UInt16(port - 1))
                start = nil
            }
        }
        return ranges
    }

    public static let all = PortSet([1...65535])

    public var count: Int { (starts.last ?? 0) + (ranges.last.map { $0.count } ?? 0) }
    public var isEmpty: Bool { ranges.isEmpty }

    public subscript(index: Int) -> UInt16 {
        precondition(index >= 0 && index < count, "port index out of range")
        var low = 0, high = ranges.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return ranges[low].lowerBound + UInt16(index - starts[low])
    }

    /// Position of a port in ascending order, for per-port bitmaps.
    public func index(of port: UInt16) -> Int? {
        var low = 0, high = ranges.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if port < ranges[mid].lowerBound { high = mid - 1 }
            else if port > ranges[mid].upperBound { low = mid + 1 }
            else { return starts[mid] + Int(port - ranges[mid].lowerBound) }
        }
        return nil
    }

    public func contains(_ port: UInt16) -> Bool { index(of: port) != nil }

    public func union(_ other: PortSet) -> PortSet { PortSet(ranges + other.ranges) }

    public func makeIterator() -> FlattenSequence<[ClosedRange<UInt16>]>.Iterator {
        ranges.joined().makeIterator()
    }

    /// nmap's compact form: `22,80,443,1000-2000`.
    public var description: String {
        ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }

    private mutating func reindex() {
        starts = []
        starts.reserveCapacity(ranges.count)
        var running = 0
        for range in ranges {
            starts.append(running)
            running += range.count
        }
    }

    private static func normalize(_ input: [ClosedRange<UInt16>]) -> [ClosedRange<UInt16>] {
        var result: [ClosedRange<UInt16>] = []
        for range in input.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, Int(range.lowerBound) <= Int(last.upperBound) + 1 {
                result[result.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
