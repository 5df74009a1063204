import Synchronization
import PortgridCore

/// A stamp for each change to what the host list is made from (`HostDirectory`, `TechniqueBoard`).
/// Drawn from one counter for the whole process, so a board made for a new scan never repeats a
/// stamp an older board had.
enum Revision {
    private static let counter = Atomic<Int>(0)
    static func next() -> Int { counter.add(1, ordering: .relaxed).newValue }
}

/// What the host list was made from: while none of it changes, the list stays the same.
struct HostListingKey: Hashable, Sendable {
    var hosts: Int
    /// The shown boards' revisions, only where the list depends on them (a state filter, the sort by
    /// open ports): a plain list does not change with every result.
    var boards: [Int]
    var filter: PortFilter
    var search: String
    var sort: HostSort
}

/// The host list as last made, shared by the copies of one session's state. Made again only when its
/// key changes: a search or a sort over 65,536 hosts took about 0.3 s, and every key and every frame
/// read the list several times.
final class HostListingCache: Sendable {
    private let entry = Mutex<(key: HostListingKey, listed: [IPAddress])?>(nil)

    func listed(_ key: HostListingKey, make: () -> [IPAddress]) -> [IPAddress] {
        if let hit = entry.withLock({ $0?.key == key ? $0?.listed : nil }) { return hit }
        let listed = make()
        entry.withLock { $0 = (key, listed) }
        return listed
    }
}
