/// How many connects may be in flight at once: bounded by file descriptors, by the user's
/// `--max-parallelism`, and by a congestion window that halves when retransmissions reveal loss and
/// when the kernel runs short (EADDRNOTAVAIL, ENOBUFS, EMFILE), and grows back one per answer.
struct ProbeWindow: Hashable, Sendable {
    /// Descriptors kept free for everything else in the process (the TUI, resolver, raw sockets, logs).
    static func reserve(fileLimit: Int) -> Int { Swift.max(32, fileLimit / 10) }
    /// Beyond this a bigger window buys nothing on any network we scan, only kernel memory.
    static let maximum = 16_384
    static let minimum = 8

    /// The most sockets the descriptor limit allows in flight.
    static func ceiling(fileLimit: Int) -> Int {
        Swift.max(minimum, Swift.min(maximum, fileLimit - reserve(fileLimit: fileLimit)))
    }

    let ceiling: Int
    private(set) var congestion: Int
    var maxParallelism: Int?

    init(fileLimit: Int, maxParallelism: Int?) {
        ceiling = Self.ceiling(fileLimit: fileLimit)
        congestion = ceiling
        self.maxParallelism = maxParallelism
    }

    /// Connects allowed in flight now.
    var limit: Int {
        // Zero is an idle worker's portion of a small limit (see WorkerShare): it sends nothing.
        let user = maxParallelism.map { Swift.max(0, $0) } ?? ceiling
        return Swift.min(user, congestion, ceiling)
    }

    /// An answer came back: the path is delivering, open up a little.
    mutating func answered() {
        if congestion < ceiling { congestion += 1 }
    }

    /// A retransmission was answered, so an earlier probe was lost: halve.
    mutating func lossDetected() {
        congestion = Swift.max(Self.minimum, congestion / 2)
    }

    /// The kernel refused to start a connect for want of resources with `inFlight` outstanding:
    /// hold below that until answers free some.
    mutating func shortage(inFlight: Int) {
        congestion = Swift.max(Self.minimum, Swift.min(congestion, inFlight * 3 / 4))
    }
}
