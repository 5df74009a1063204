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
    /// `--min-parallelism`: the congestion window never shrinks below it (within the descriptors).
    var minParallelism: Int?

    init(fileLimit: Int, maxParallelism: Int?, minParallelism: Int? = nil) {
        ceiling = Self.ceiling(fileLimit: fileLimit)
        congestion = ceiling
        self.maxParallelism = maxParallelism
        self.minParallelism = minParallelism
    }

    /// The smallest the congestion window gets.
    private var smallest: Int { Swift.min(ceiling, Swift.max(Self.minimum, minParallelism ?? 0)) }

    /// Connects allowed in flight now.
    var limit: Int {
        // Zero is an idle worker's portion of a small limit (see WorkerShare): it sends nothing.
        let user = maxParallelism.map { Swift.max(0, $0) } ?? ceiling
        return Swift.min(user, congestion, ceiling)
    }

    /// Connects allowed in flight whatever the congestion window says: what `--min-rate` may use
    /// when the window would hold the scan below its floor (the descriptors and the user's
    /// `--max-parallelism` still bound it).
    var hardLimit: Int {
        Swift.min(maxParallelism.map { Swift.max(0, $0) } ?? ceiling, ceiling)
    }

    /// An answer came back: the path is delivering, open up a little.
    mutating func answered() {
        if congestion < ceiling { congestion += 1 }
    }

    /// A retransmission was answered, so an earlier probe was lost: halve.
    mutating func lossDetected() {
        congestion = Swift.max(smallest, congestion / 2)
    }

    /// The kernel refused to start a connect for want of resources with `inFlight` outstanding:
    /// hold below that until answers free some.
    mutating func shortage(inFlight: Int) {
        congestion = Swift.max(smallest, Swift.min(congestion, inFlight * 3 / 4))
    }
}
