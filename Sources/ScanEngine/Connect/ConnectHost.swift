import PortgridCore

/// What the connect engine keeps per target host: its latency estimate, what it has learned about
/// loss, and how much of it is done.
struct ConnectHost: Sendable {
    let address: IPAddress
    var rtt = RTTEstimator()
    var retries: RetryAllowance
    /// When its first probe went out: `--host-timeout` counts from here.
    var firstSent: ContinuousClock.Instant?
    /// Ports with a final state reported.
    var reported = 0
    /// Given up on after `--host-timeout`: its remaining ports are skipped.
    var timedOut = false

    init(address: IPAddress, maxRetries: Int) {
        self.address = address
        retries = RetryAllowance(maxRetries: maxRetries)
    }

    /// Whether the host has used up its `--host-timeout`.
    func isOverdue(_ limit: Duration?, now: ContinuousClock.Instant) -> Bool {
        guard let limit, let firstSent, !timedOut else { return false }
        return now - firstSent >= limit
    }
}
