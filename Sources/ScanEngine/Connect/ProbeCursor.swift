import Synchronization

/// The walk through the scan's (host × port) permutation, shared by its workers: each takes the
/// next few indices as it has room, so a worker slowed or idled by a limit never holds work back
/// that another could do.
final class ProbeCursor: Sendable {
    let count: UInt64
    private let next = Atomic<UInt64>(0)

    init(count: UInt64) {
        self.count = count
    }

    /// Up to `limit` indices not yet taken by anyone (empty once the walk is over).
    func take(_ limit: Int) -> Range<UInt64> {
        guard limit > 0, next.load(ordering: .relaxed) < count else { return count..<count }
        let start = next.add(UInt64(limit), ordering: .relaxed).oldValue
        return Swift.min(start, count)..<Swift.min(start + UInt64(limit), count)
    }

    var isExhausted: Bool { next.load(ordering: .relaxed) >= count }
}
