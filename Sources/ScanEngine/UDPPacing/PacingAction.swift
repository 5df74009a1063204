/// What the UDP pacing asks of the pass scheduler. The watch and its pacers never edit the
/// scheduler: they read it and return these, and the raw passes apply them in order.
enum PacingAction: Hashable, Sendable {
    /// Take the host out of the passes: a pacer probes its unanswered ports from now on.
    case detach(host: Int)
    /// These ports of the host have their final state: silent (open|filtered).
    case silent(host: Int, items: [Int])
    /// The host is not rate-limited after all: back to the passes, allowed at least one more.
    case reattach(host: Int)
}
