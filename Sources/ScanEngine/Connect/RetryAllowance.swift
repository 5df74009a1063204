/// How many times a silent probe to one host is sent again, learned the way nmap learns it: at
/// first one retry; each time a retransmission is what finally gets an answer, the earlier tries
/// were evidently lost, so later silent probes get that many retries too, up to the profile's
/// maximum. A host that simply drops a thousand ports costs one retry each, not ten.
struct RetryAllowance: Hashable, Sendable {
    /// Retries a silent probe gets now.
    private(set) var allowed: Int
    /// The timing profile's `maxRetries`.
    private(set) var ceiling: Int

    init(maxRetries: Int) {
        ceiling = Swift.max(0, maxRetries)
        allowed = Swift.min(1, ceiling)
    }

    /// `attempt` 0 is the first send. Returns true when the answer is evidence that packets were lost.
    @discardableResult
    mutating func answered(onAttempt attempt: Int) -> Bool {
        guard attempt > 0 else { return false }
        allowed = Swift.min(ceiling, Swift.max(allowed, attempt + 1))
        return true
    }

    /// Whether a probe whose `attempt` went unanswered is sent again.
    func mayRetry(after attempt: Int) -> Bool { attempt < allowed }

    /// A new timing profile: keeps what was learned, inside the new bounds.
    mutating func setCeiling(_ maxRetries: Int) {
        ceiling = Swift.max(0, maxRetries)
        allowed = Swift.min(Swift.max(allowed, Swift.min(1, ceiling)), ceiling)
    }
}
