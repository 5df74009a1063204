/// A host's items given their final state by silence.
struct SilentItems: Hashable, Sendable {
    var host: Int
    var items: [Int]
}

/// The items a pass end made final, host by host, in three flat arrays rather than an array per
/// host: a dead /16's sweep ends with 65,536 hosts silent at once, and a list of arrays held 4 MB
/// of its peak (twice over while it was copied). A host whose every item is silent, the common
/// case (a host that never answered), is listed without its items.
struct SilentList: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral {
    private var hosts: [UInt32] = []
    /// Where each host's listed items end in `items`; a host with none listed has every item silent.
    /// Empty while no host has listed items: a dead /16's one-port scan ends with 65,536 hosts, and
    /// their ends would be 256 KB of zeros.
    private var ends: [UInt32] = []
    private var items: [UInt32] = []
    /// The job's items: what "every item" means.
    private let itemCount: Int

    init(itemCount: Int) { self.itemCount = itemCount }

    init(arrayLiteral elements: SilentItems...) {
        itemCount = 0
        for element in elements { append(host: element.host, items: element.items) }
    }

    /// Lists `host` with every one of the job's items silent.
    mutating func appendEveryItem(of host: Int) {
        hosts.append(UInt32(host))
        if !ends.isEmpty { ends.append(UInt32(items.count)) }
    }

    /// Lists `host` with these items silent (not none).
    mutating func append(host: Int, items silent: [Int]) {
        // The hosts before the first with listed items had every item silent: none listed.
        if ends.isEmpty { ends = [UInt32](repeating: 0, count: hosts.count) }
        hosts.append(UInt32(host))
        items.append(contentsOf: silent.lazy.map { UInt32($0) })
        ends.append(UInt32(items.count))
    }

    var startIndex: Int { 0 }
    var endIndex: Int { hosts.count }

    subscript(position: Int) -> SilentItems {
        guard !ends.isEmpty else { return SilentItems(host: Int(hosts[position]), items: Array(0..<itemCount)) }
        let start = position == 0 ? 0 : Int(ends[position - 1]), end = Int(ends[position])
        let listed = start == end ? Array(0..<itemCount) : items[start..<end].map { Int($0) }
        return SilentItems(host: Int(hosts[position]), items: listed)
    }

    /// The host of an entry, without making its list of items.
    func host(at position: Int) -> Int { Int(hosts[position]) }

    static func == (lhs: Self, rhs: Self) -> Bool { lhs.elementsEqual(rhs) }

    func hash(into hasher: inout Hasher) {
        for element in self { hasher.combine(element) }
    }
}
