/// When the first pass's walk positions were sent, without a time per probe: a few hundred
/// (walk position, time) pairs for a `-p-` scan, one per batch of probes handed to the sender. A
/// checkpoint says every position before it had left by its time, so the time of the first
/// checkpoint past a position is an upper bound on that position's send: a try measured from it
/// is never younger than it really is. Read in walk order (the early-retry cursor of
/// `PassScheduler` only moves forward), so checkpoints behind the reader are dropped.
struct SendCheckpoints: Sendable {
    typealias Instant = ContinuousClock.Instant

    private var positions: [UInt64] = []
    private var times: [Instant] = []
    /// The first checkpoint not yet passed by the reader.
    private var head = 0

    var count: Int { positions.count - head }

    /// Every position before `position` had left by `time`. Positions and times only grow; a
    /// checkpoint that does not move the position on is dropped.
    mutating func record(before position: UInt64, at time: Instant) {
        if let last = positions.last, position <= last { return }
        positions.append(position)
        times.append(time)
    }

    /// When `position` had surely left: the time of the first checkpoint past it, nil when none is
    /// (the position has not been sent, or its batch is not known to be out yet). Checkpoints at
    /// or before `position` are dropped: the reader never asks for an earlier one again.
    mutating func sentBy(_ position: UInt64) -> Instant? {
        while head < positions.count, positions[head] <= position { head += 1 }
        if head > 256, head * 2 > positions.count {
            positions.removeFirst(head)
            times.removeFirst(head)
            head = 0
        }
        return head < positions.count ? times[head] : nil
    }

    /// Forgets every checkpoint (the pass they timed is over).
    mutating func removeAll() {
        positions.removeAll()
        times.removeAll()
        head = 0
    }
}
