import Dispatch
import Synchronization

/// Closes finished probe sockets on another core. Releasing a TCP socket (file, inode, sock, its
/// epoll entry) costs the kernel about as much as the connect's whole round trip on a fast link, and
/// it is work the event loop never needs to wait for: handing it off lets the loop start the next
/// connects while a second core tears the old sockets down.
final class SocketCloser: Sendable {
    private let sockets: SocketOperations
    private let queue = DispatchQueue(label: "portgrid.connect.closer")
    private let queued = Atomic<Int>(0)
    private let budget: ProbeSocketBudget

    init(sockets: SocketOperations, budget: ProbeSocketBudget = .unbounded) {
        self.sockets = sockets
        self.budget = budget
    }

    /// Descriptors handed over but not yet closed: they still count against the descriptor limit.
    var pending: Int { queued.load(ordering: .relaxed) }

    /// Takes ownership of `batch`; each is closed soon, in order.
    func close(_ batch: [SocketDescriptor]) {
        guard !batch.isEmpty else { return }
        queued.add(batch.count, ordering: .relaxed)
        queue.async {
            for socket in batch { self.sockets.close(socket) }
            self.budget.release(batch.count)
            self.queued.subtract(batch.count, ordering: .relaxed)
        }
    }

    /// Returns once every descriptor handed over so far is closed.
    func drain() {
        queue.sync {}
    }
}
