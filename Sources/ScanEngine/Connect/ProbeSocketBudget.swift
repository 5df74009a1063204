import Synchronization

/// The most probe sockets one connect worker holds open at once, in every state: in flight, spare,
/// stocked ahead of need, released, or queued for the closer. The congestion window bounds only
/// connects in flight; this bounds descriptors. The process must never meet EMFILE: libdispatch's
/// worker monitor opens /proc files and traps (SIGILL) when it cannot, which a run at a low
/// `ulimit -n` once did. Shared by the pool (which opens), the supply (which opens ahead) and the
/// closer (which closes), each on its own thread.
final class ProbeSocketBudget: Sendable {
    let limit: Int
    private let open = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = Swift.max(1, limit)
    }

    /// No bound (tests that are not about descriptors).
    static var unbounded: ProbeSocketBudget { ProbeSocketBudget(limit: .max) }

    var openCount: Int { open.load(ordering: .relaxed) }

    /// Claims one descriptor before a socket is opened; false when the budget is spent.
    func claim() -> Bool {
        var current = open.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, found) = open.compareExchange(expected: current, desired: current + 1, ordering: .relaxed)
            if exchanged { return true }
            current = found
        }
        return false
    }

    /// A claimed descriptor was closed, or its socket never opened.
    func release(_ count: Int = 1) {
        open.subtract(count, ordering: .relaxed)
    }
}
