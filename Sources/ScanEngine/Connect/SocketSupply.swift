import Dispatch
import Synchronization

/// Opens probe sockets ahead of need on another core. Creating a socket (file, inode, sock, the
/// IP_RECVERR option) costs the kernel a good part of what the connect itself does; a second core
/// can do it while the event loop is busy starting connects and reading answers. The pool takes
/// ready sockets in bulk and opens its own only when the stock is out. It never closes one: what is
/// left in stock when it stops goes back to the pool, which closes every socket.
final class SocketSupply: Sendable {
    private struct Stock {
        var ready: [SocketDescriptor] = []
        var filling = false
        var stopped = false
    }

    private let sockets: SocketOperations
    private let family: CInt
    /// How many sockets are kept ready.
    let capacity: Int
    private let queue = DispatchQueue(label: "portgrid.connect.supply")
    private let stock = Mutex(Stock())
    private let budget: ProbeSocketBudget

    init(sockets: SocketOperations, family: CInt, capacity: Int, budget: ProbeSocketBudget = .unbounded) {
        self.sockets = sockets
        self.family = family
        self.capacity = capacity
        self.budget = budget
    }

    /// Sockets opened and not yet taken: they hold descriptors too.
    var stocked: Int { stock.withLock { $0.ready.count } }

    /// Up to `count` ready sockets (fewer, or none, when the stock is short); the caller owns them.
    /// Asks for a refill when the stock runs below half.
    func take(_ count: Int) -> [SocketDescriptor] {
        let (taken, refill) = stock.withLock { s -> ([SocketDescriptor], Bool) in
            let taken = Array(s.ready.suffix(count))
            s.ready.removeLast(taken.count)
            let refill = !s.filling && !s.stopped && s.ready.count < capacity / 2
            if refill { s.filling = true }
            return (taken, refill)
        }
        if refill { queue.async { self.fill() } }
        return taken
    }

    /// Gives back sockets taken but not used.
    func giveBack(_ unused: [SocketDescriptor]) {
        guard !unused.isEmpty else { return }
        stock.withLock { $0.ready.append(contentsOf: unused) }
    }

    /// Stops refilling; returns, once no fill is running, every socket still in stock (the caller
    /// owns them now).
    func stop() -> [SocketDescriptor] {
        stock.withLock { $0.stopped = true }
        queue.sync {}
        return stock.withLock { s in
            defer { s.ready = [] }
            return s.ready
        }
    }

    /// Opens sockets up to capacity. Stops at the first failure (a descriptor or memory shortage):
    /// the loop then opens its own and meets the error where its back-off handles it.
    private func fill() {
        var opened: [SocketDescriptor] = []
        let wanted = capacity - stocked
        // The pool's budget holds here too: a stocked socket is a descriptor like any other.
        for _ in 0..<Swift.max(0, wanted) {
            guard budget.claim() else { break }
            guard let socket = try? sockets.openProbe(family: family) else {
                budget.release()
                break
            }
            opened.append(socket)
        }
        // Stocked even when stopped meanwhile: `stop` waits for this fill and takes them.
        stock.withLock { s in
            s.filling = false
            s.ready.append(contentsOf: opened)
        }
    }
}
