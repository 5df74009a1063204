/// A plan's hosts, in order, kept as runs: a CIDR block or a range of IPv4 addresses is one run
/// of 12 bytes whatever its size, where an array of addresses took 24 bytes a host (1.5 MB for a
/// /16, held by the plan for the whole scan; 3 MB for a /15). Any other address is a run of one:
/// 12 bytes for an IPv4 address, 28 for an IPv6 one. Reading the `i`-th host is a binary search
/// over the runs (none for a list that is one run); walking them in order is a step each.
public struct HostList: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    /// IPv4: `count` addresses from `first`. IPv6 (`count` 0): the address `ipv6[first]`.
    private struct Run: Hashable, Sendable {
        var first: UInt32
        var count: UInt32
    }

    private var runs: [Run] = []
    /// Where each run ends: hosts before it plus its own.
    private var ends: [Int32] = []
    private var ipv6: [IPv6Address] = []

    public init() {}

    public init(_ addresses: some Sequence<IPAddress>) {
        for address in addresses { append(address) }
    }

    public init(arrayLiteral addresses: IPAddress...) { self.init(addresses) }

    /// The first address when the list is one ascending run of IPv4 addresses (a CIDR block, a
    /// range): then a host's position is its distance from it.
    public var ipv4RunStart: UInt32? {
        guard runs.count == 1, runs[0].count > 0 else { return nil }
        return runs[0].first
    }

    /// How many of the hosts are IPv4 addresses.
    public var ipv4Count: Int { endIndex - ipv6.count }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.last.map(Int.init) ?? 0 }

    /// Adds `address` at the end: onto the last run when it is the IPv4 address after that run's last.
    public mutating func append(_ address: IPAddress) {
        switch address {
        case .v4(let v4):
            // 0.0.0.0 after 255.255.255.255 wraps: it starts a run of its own, so a run ascends.
            if let last = runs.last, last.count > 0, last.first &+ last.count == v4.value, v4.value != 0 {
                runs[runs.count - 1].count += 1
                ends[ends.count - 1] += 1
                return
            }
            runs.append(Run(first: v4.value, count: 1))
        case .v6(let v6):
            runs.append(Run(first: UInt32(ipv6.count), count: 0))
            ipv6.append(v6)
        }
        ends.append(Int32(endIndex + 1))
    }

    public subscript(position: Int) -> IPAddress {
        precondition(position >= 0 && position < endIndex, "host \(position) of \(endIndex)")
        let run = runs.count == 1 ? 0 : self.run(containing: position)
        return address(in: runs[run], at: position - start(of: run))
    }

    /// The hosts at `positions`, as a list of their own numbered from 0 (a hostgroup's). Not the
    /// collection's slice, whose positions are its base's.
    public func sublist(_ positions: Range<Int>) -> HostList {
        var list = HostList()
        guard !positions.isEmpty else { return list }
        var run = self.run(containing: positions.lowerBound)
        var position = positions.lowerBound
        while position < positions.upperBound {
            let begins = start(of: run), span = runs[run]
            let from = position - begins, to = Swift.min(Int(ends[run]), positions.upperBound) - begins
            if span.count == 0 {
                list.append(.v6(ipv6[Int(span.first)]))
            } else {
                let first = span.first &+ UInt32(from)
                list.runs.append(Run(first: first, count: UInt32(to - from)))
                list.ends.append(Int32(list.endIndex + to - from))
            }
            position = begins + to
            run += 1
        }
        return list
    }

    /// Whether `address` is in the list, for a list in ascending order: a binary search over its
    /// runs, not over its hosts (a report asks it once a host of a /16).
    public func sortedContains(_ address: IPAddress) -> Bool {
        // The last run that starts at or before `address`.
        var low = 0, high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if self.address(in: runs[middle], at: 0) <= address { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return false }
        let run = runs[low - 1]
        switch address {
        case .v4(let v4): return run.count > 0 && UInt64(v4.value) < UInt64(run.first) + UInt64(run.count)
        case .v6(let v6): return run.count == 0 && ipv6[Int(run.first)] == v6
        }
    }

    public func makeIterator() -> Iterator { Iterator(list: self) }

    /// Run by run, with no search per host.
    public struct Iterator: IteratorProtocol {
        fileprivate let list: HostList
        private var run = 0
        private var offset = 0

        fileprivate init(list: HostList) { self.list = list }

        public mutating func next() -> IPAddress? {
            guard run < list.runs.count else { return nil }
            let span = list.runs[run]
            let address = list.address(in: span, at: offset)
            offset += 1
            if offset >= Swift.max(1, Int(span.count)) {
                run += 1
                offset = 0
            }
            return address
        }
    }

    private func start(of run: Int) -> Int { run == 0 ? 0 : Int(ends[run - 1]) }

    private func address(in run: Run, at offset: Int) -> IPAddress {
        run.count == 0 ? .v6(ipv6[Int(run.first)]) : .v4(IPv4Address(run.first &+ UInt32(offset)))
    }

    /// The run holding `position`: the first whose end lies past it.
    private func run(containing position: Int) -> Int {
        var low = 0, high = ends.count - 1
        while low < high {
            let middle = (low + high) / 2
            if Int(ends[middle]) <= position { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
