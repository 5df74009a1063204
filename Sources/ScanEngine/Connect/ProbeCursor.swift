import PortgridCore
import Synchronization

/// The walk through the scan's (host × port) permutation, shared by its workers: each takes the
/// next few indices as it has room, so a worker slowed or idled by a limit never holds work back
/// that another could do. With `--shard I/N` the walk is this shard's stride of the permutation
/// (positions I-1, I-1+N, ...); `isFinished` names the pairs a resumed scan already has.
final class ProbeCursor: Sendable {
    let count: UInt64
    let shard: Shard
    private let next = Atomic<UInt64>(0)
    private let finished: @Sendable (UInt64) -> Bool

    /// `total` is the whole permutation's length; `finished` is asked about its elements.
    init(count total: UInt64, shard: Shard = .whole, finished: @escaping @Sendable (UInt64) -> Bool = { _ in false }) {
        count = shard.ownedCount(of: total)
        self.shard = shard
        self.finished = finished
    }

    /// Up to `limit` indices not yet taken by anyone (empty once the walk is over).
    func take(_ limit: Int) -> Range<UInt64> {
        guard limit > 0, next.load(ordering: .relaxed) < count else { return count..<count }
        let start = next.add(UInt64(limit), ordering: .relaxed).oldValue
        return Swift.min(start, count)..<Swift.min(start + UInt64(limit), count)
    }

    var isExhausted: Bool { next.load(ordering: .relaxed) >= count }

    /// The permutation position of the walk's `index`-th step.
    func position(_ index: UInt64) -> UInt64 { shard.position(index) }

    /// Whether the permutation element already has a final state (an earlier run decided it).
    func isFinished(_ element: UInt64) -> Bool { finished(element) }
}
