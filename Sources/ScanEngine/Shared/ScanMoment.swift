/// A moment of a scan as whole nanoseconds after an origin the scan picked (`ScanOrigin`): eight
/// bytes with a layout the compiler knows. `ContinuousClock.Instant` is a resilient type of the
/// standard library, so outside it every copy, comparison and sum of one, and of any value that
/// holds one, goes through value witnesses and out-of-line calls: in the connect loop, whose table
/// holds a send time and a deadline for every probe, that was a fifth of its own time. Tables
/// touched for every probe keep these instead, and convert at their edges.
struct ScanMoment: Comparable, Hashable, Sendable {
    var nanoseconds: Int64

    static func < (a: Self, b: Self) -> Bool { a.nanoseconds < b.nanoseconds }

    /// `duration` later. Never traps: a duration counts up to 31 years (`RTTEstimator.nanoseconds`)
    /// and a sum past Int64 saturates; a deadline that far off is no deadline.
    static func + (moment: Self, duration: Duration) -> Self {
        let (sum, overflow) = moment.nanoseconds.addingReportingOverflow(RTTEstimator.nanoseconds(duration))
        return Self(nanoseconds: overflow ? (sum < 0 ? .max : .min) : sum)
    }

    /// The time from `b` to `a`.
    static func - (a: Self, b: Self) -> Duration { .nanoseconds(a.nanoseconds &- b.nanoseconds) }
}

/// Where a scan's moments count from, and the one conversion between them and the clock's instants.
struct ScanOrigin: Sendable {
    let instant: ContinuousClock.Instant

    init(_ instant: ContinuousClock.Instant) { self.instant = instant }

    func moment(_ instant: ContinuousClock.Instant) -> ScanMoment {
        ScanMoment(nanoseconds: RTTEstimator.nanoseconds(instant - self.instant))
    }

    func instant(_ moment: ScanMoment) -> ContinuousClock.Instant {
        instant + .nanoseconds(moment.nanoseconds)
    }
}
