/// Where the current pass of a raw scan is in its life. One value instead of a set of optionals
/// and flags: each case holds exactly what that part of the life needs.
enum PassPhase: Hashable, Sendable {
    typealias Instant = ContinuousClock.Instant

    /// Its probes are going out; `lastSend` is when the latest of them left (nil before any did).
    case sending(lastSend: Instant?)
    /// Fully sent: replies are awaited until the wait's deadline.
    case waiting(PassWait)
    /// UDP's first pass: canaries are out (see `ICMPLimitWatch`); the pass closes at `until`.
    case canaries(until: Instant)
    /// No host takes part in the passes any more: only the UDP pacers work, and may hand a host back.
    case idle
}

/// The wait at the end of a fully sent pass.
struct PassWait: Hashable, Sendable {
    typealias Instant = ContinuousClock.Instant

    /// What a deadline was worked out from: round trips measured, and retry allowances changed.
    /// When either moves, the deadline is worked out again.
    struct Basis: Hashable, Sendable {
        var samples: Int
        var allowanceChanges: Int
    }

    /// When the pass's last probe left (moved on by pauses): the wait counts from here.
    var start: Instant
    var deadline: Instant
    var basis: Basis
    /// The deadline is worked out again (a walk over the hosts) at most this often.
    var nextRefresh: Instant
    /// UDP: the first pass's end has been checked for hosts that need a refill wait.
    var refillChecked = false

    /// Moves the wait on by a pause's length: a pause does not count against it.
    mutating func shift(by pause: Duration) {
        start += pause
        deadline += pause
    }
}
