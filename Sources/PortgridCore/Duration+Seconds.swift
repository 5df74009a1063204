extension Duration {
    /// The duration as seconds in floating point, for rates and arithmetic with them. The one place
    /// a `Duration` is turned into a `Double`: every layer's rate, ETA and display reads it here.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// Whole milliseconds, rounded up (a wait of 0.1 ms must not become a busy poll), clamped at
    /// zero: what `poll` and `epoll_wait` take as their timeout.
    public var wholeMillisecondsRoundedUp: Int64 {
        guard self > .zero else { return 0 }
        let (seconds, attoseconds) = components
        return seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    }
}
