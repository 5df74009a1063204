/// Owns every socket of one connect worker, from open to close, and closes each exactly once: the
/// stock the supply opened ahead of need, the sockets handed out for probes, the spares kept for
/// another connect, and the finished ones on their way to the closer. The loop takes a socket with
/// `checkout` and gives it back with `release`; `shutdown` closes whatever is left, on any exit path.
/// Not Sendable: it lives on its worker's thread (the supply and closer it drives have their own).
final class SocketPool {
    /// Most sockets kept for reuse.
    static let spareLimit = 1024

    private let sockets: SocketOperations
    private let closer: SocketCloser
    private let supply: SocketSupply?
    /// The address family of every target, when they share one: only then are sockets reused.
    private let family: CInt?
    /// Taken from the supply for the current burst.
    private var reserve: [SocketDescriptor] = []
    /// Sockets to connect again, still in the epoll set: refused by a RST (a closed port's socket
    /// carries the next probe), or given up on while connecting (a filtered port's). The latter
    /// may yet collect a late ICMP report, so their error queue is emptied after the disconnect.
    /// `disconnected`: the loop's reading of the refusal already disconnected it.
    private var spare: [(socket: SocketDescriptor, mayHoldReports: Bool, disconnected: Bool)] = []
    /// Released to be closed: handed to the closer at the end of the turn.
    private var finished: [SocketDescriptor] = []
    /// Per descriptor number: handed out and not yet released.
    private var inUse: [Bool] = []
    private var isShutDown = false

    /// Bounds every socket the pool, its supply and its closer hold at once.
    let budget: ProbeSocketBudget

    /// `stock`: how many sockets the supply keeps open ahead of need (nil: no supply). `budget`: the
    /// most descriptors held at once (see `ProbeSocketBudget`); out of it, a new socket is a
    /// shortage like EMFILE, without meeting EMFILE.
    init(sockets: SocketOperations, family: CInt?, stock: Int?, budget: ProbeSocketBudget = .unbounded) {
        self.sockets = sockets
        self.budget = budget
        closer = SocketCloser(sockets: sockets, budget: budget)
        self.family = family
        if let family, let stock {
            supply = SocketSupply(sockets: sockets, family: family, capacity: stock, budget: budget)
        } else {
            supply = nil
        }
    }

    deinit { shutdown() }

    /// Sockets handed to the closer and not yet closed: they still count against the descriptor
    /// limit. (Those released this turn are handed over at its end.)
    var pendingCloses: Int { closer.pending }

    /// A burst of up to `count` connects is about to start: take that many from the stock.
    func beginBurst(_ count: Int) {
        if let supply { reserve = supply.take(count) }
    }

    /// The burst is over: what it did not use goes back to the stock.
    func endBurst() {
        supply?.giveBack(reserve)
        reserve.removeAll(keepingCapacity: true)
    }

    /// A socket for the next connect: a spare to reuse (already in the epoll set: `watched`), else
    /// one from the stock, else a new one. Nil when the kernel is out of descriptors or memory.
    func checkout(family: CInt) throws(ScanError) -> (socket: SocketDescriptor, watched: Bool)? {
        while let (reused, mayHoldReports, disconnected) = spare.popLast() {
            do {
                // Disconnected first: from then on no ICMP error can reach the socket's old connect.
                if !disconnected { try sockets.disconnect(reused) }
            } catch {
                // Not reusable after all: a fresh socket does the job.
                finished.append(reused)
                continue
            }
            if mayHoldReports {
                // A report left from the old connect would be read as the new one's answer.
                var left = 0
                while sockets.icmpReport(reused) != nil, left < 8 { left += 1 }
            }
            handOut(reused)
            return (reused, true)
        }
        if let stocked = reserve.popLast() {
            handOut(stocked)
            return (stocked, false)
        }
        guard budget.claim() else { return nil }
        do {
            let socket = try sockets.openProbe(family: family)
            handOut(socket)
            return (socket, false)
        } catch {
            budget.release()
            if error.errno.isLocalShortage { return nil }
            throw error.scanError
        }
    }

    /// Takes back a socket handed out: kept for another connect when `fate` allows it, the targets
    /// share one family and the spare pile has room; otherwise closed. `disconnected`: it needs no
    /// connect(AF_UNSPEC) before its next connect (see `SocketOperations.reapFailedConnect`).
    func release(_ socket: SocketDescriptor, _ fate: SocketFate, disconnected: Bool = false) {
        precondition(isHandedOut(socket), "socket \(socket.rawValue) released twice or never handed out")
        inUse[Int(socket.rawValue)] = false
        if case .reuse(let mayHoldReports) = fate, family != nil, spare.count < Self.spareLimit {
            spare.append((socket, mayHoldReports, disconnected))
        } else {
            finished.append(socket)
        }
    }

    /// Hands the sockets released for closing to the closer (another core closes them).
    func flush() {
        guard !finished.isEmpty else { return }
        closer.close(finished)
        finished.removeAll(keepingCapacity: true)
    }

    /// Closes every socket the pool holds, handed out or not, and returns once all are closed.
    /// Safe to call more than once.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        endBurst()
        finished += supply?.stop() ?? []
        finished += spare.map(\.socket)
        spare.removeAll()
        for index in inUse.indices where inUse[index] {
            inUse[index] = false
            finished.append(SocketDescriptor(rawValue: CInt(index)))
        }
        flush()
        closer.drain()
    }

    private func handOut(_ socket: SocketDescriptor) {
        let index = Int(socket.rawValue)
        if index >= inUse.count {
            inUse.append(contentsOf: repeatElement(false, count: Swift.max(index + 1 - inUse.count, 1024)))
        }
        precondition(!inUse[index], "socket \(index) handed out twice")
        inUse[index] = true
    }

    private func isHandedOut(_ socket: SocketDescriptor) -> Bool {
        let index = Int(socket.rawValue)
        return index >= 0 && index < inUse.count && inUse[index]
    }
}
