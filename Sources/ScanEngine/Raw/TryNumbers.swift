/// The try numbers a raw probe can carry, and who uses which. `ProbeCookie` has room for 16 (the
/// four low bits of a TCP sequence number, an ICMP echo sequence, an offset in the source-port
/// range); the pass scheduler numbers its tries by pass (0 is the first send, 1...11 its
/// retransmissions), and the UDP pacer takes the four above (12 for canaries and the measuring
/// stream, 13...15 for paced tries). Derived from one another here, so the two ranges can neither
/// overlap nor leave the cookie's room.
enum TryNumbers {
    /// How many try numbers a probe's cookie carries.
    static let count = 16
    /// The pacer's share of them.
    static let pacedCount = 4

    /// Try numbers of the passes: the pass number itself.
    static let passes = 0...(count - pacedCount - 1)
    /// Try numbers of retransmissions (an answer to one is evidence of loss).
    static let retransmissions = 1...passes.upperBound
    /// Try numbers of the UDP pacer's probes.
    static let paced = (passes.upperBound + 1)...(count - 1)

    /// The most retries the passes can make.
    static var passRetryCeiling: Int { passes.upperBound }
    /// Canary probes and the measuring stream: unverified, so they share one number.
    static var canary: Int { paced.lowerBound }

    /// The try of an answer that does not say which it answers: a UDP reply with a fixed source
    /// port (`-g`). It matches no timed probe (no round-trip sample, Karn's rule) and is no
    /// retransmission's, canary's or first try's.
    static let unknown = -1

    /// A paced probe's try number after `silentTries` paced tries of the port went unanswered.
    static func paced(afterSilentTries silentTries: Int) -> Int {
        paced.lowerBound + min(paced.count - 1, silentTries + 1)
    }
}
