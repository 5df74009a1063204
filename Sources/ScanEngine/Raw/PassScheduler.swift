import PortgridCore

/// One probe to send: a (host, port index) pair and the try it is.
struct WorkItem: Hashable, Sendable {
    var host: Int
    var item: Int
    var tryNumber: Int
}

/// The pass and retry state machine of a stateless scan. Pass 0 walks every (host, item) pair in
/// the seeded permutation; each later pass walks it again and resends only what is unanswered, to
/// hosts whose retry allowance reaches that pass. The allowance starts at one retransmission and
/// grows (up to `maxRetries`) only when a retransmission is answered, as nmap's does: a late answer
/// is evidence of loss, and silence after a retransmission is evidence of a filter.
/// Pure: the engine tells it what was sent and answered and when a pass's wait is over.
///
/// A ping sweep's items are the probes of one question, "is the host there?" (`settlesHost`): an
/// answer to any settles every item of the host, and a pass walks them probe by probe (every host's
/// first probe in the permutation's order, then every host's second), so a host that answered its
/// echo is not sent the SYN and the ACK too. On a /16 whose hosts all answer that is a third of the
/// packets; where the first probe goes unanswered the rest follow one walk of the hosts later.
struct PassScheduler: Sendable {
    /// The most retries a pass can make: try numbers above are the UDP pacer's (`TryNumbers`).
    static let retryCeiling = TryNumbers.passRetryCeiling

    let hostCount: Int
    let itemCount: Int
    let maxRetries: Int
    /// An answer to any item settles all of the host's (a sweep's probes).
    let settlesHost: Bool
    /// The permutation of (host, item) pairs; with `settlesHost`, of hosts, walked once per item.
    private let order: ScanOrder
    /// Positions in a pass's walk.
    private let walkLength: UInt64
    private let shard: Shard
    private(set) var answered: AnsweredBitmap
    private(set) var pass = 0
    /// Position in this shard's stride of the permutation.
    private(set) var position: UInt64
    /// The second pass's cursor, run behind the first pass's while it is still sending (early
    /// retries, decided by `RawPasses`): every position before it is answered or has had its
    /// second try, so the second pass starts its walk here.
    private(set) var earlyPosition: UInt64
    /// Per host: the last pass it may be probed in (at most `retryCeiling`, so a byte).
    private var lastPass: [UInt8]
    /// Hosts out of the passes: handed to the UDP pacer, or with every item final.
    private var detached: [Bool]
    /// Items this shard owns that have no final state yet.
    private(set) var remaining: Int
    /// Counts the times any host's allowance grew: a pass end once final for a host may not be any more.
    private(set) var allowanceChanges = 0

    /// `sequential` (`-r`): elements are item-major (item * hosts + host), so the walk in element
    /// order already gives every host its first port, then its second.
    init(hostCount: Int, itemCount: Int, maxRetries: Int, seed: UInt64, shard: Shard = .whole, sequential: Bool = false,
         settlesHost: Bool = false) {
        self.hostCount = hostCount
        self.itemCount = itemCount
        self.maxRetries = min(max(0, maxRetries), Self.retryCeiling)
        self.settlesHost = settlesHost
        let total = UInt64(hostCount) * UInt64(itemCount)
        walkLength = total
        order = ScanOrder(count: settlesHost ? UInt64(hostCount) : total, seed: seed,
                          sequentialRows: sequential ? 1 : nil)
        self.shard = shard
        answered = AnsweredBitmap(hostCount: hostCount, itemCount: itemCount)
        position = UInt64(shard.index - 1)
        earlyPosition = position
        lastPass = [UInt8](repeating: UInt8(min(1, self.maxRetries)), count: hostCount)
        detached = [Bool](repeating: false, count: hostCount)
        remaining = Int(total)
        if shard.count > 1 {
            // Pairs other shards own are marked done up front, so "unanswered" means "ours".
            var other: UInt64 = 0
            while other < total {
                if other % UInt64(shard.count) != UInt64(shard.index - 1) {
                    let (host, item) = pair(at: other)
                    answered.insert(host: host, item: item)
                    remaining -= 1
                }
                other += 1
            }
        }
    }

    /// The (host, item) pair at `position` of a pass's walk.
    private func pair(at position: UInt64) -> (Int, Int) {
        let hosts = UInt64(hostCount)
        if settlesHost { return (Int(order.element(position % hosts)), Int(position / hosts)) }
        let element = order.element(position)
        return (Int(element % hosts), Int(element / hosts))
    }

    var isFinished: Bool { remaining == 0 }

    func isAnswered(host: Int, item: Int) -> Bool { answered.contains(host: host, item: item) }
    func isDetached(_ host: Int) -> Bool { detached[host] }
    func allowedPasses(_ host: Int) -> Int { Int(lastPass[host]) }

    /// The next unanswered pair of the current pass, nil once the pass is fully sent.
    mutating func nextProbe() -> WorkItem? {
        while position < walkLength {
            let (host, item) = pair(at: position)
            position += UInt64(shard.count)
            if detached[host] || Int(lastPass[host]) < pass || answered.contains(host: host, item: item) { continue }
            return WorkItem(host: host, item: item, tryNumber: pass)
        }
        return nil
    }

    var isPassFullySent: Bool { position >= walkLength }

    /// The first pass's next position that owes a second try, and its host, when the first pass has
    /// sent it; skips what needs none (answered; a host whose allowance is no retry). Nil in later
    /// passes: their tries do not leave in walk order (some went early), so no position says when.
    /// Not for hosts the pacer holds: the cursor stops at one (its tries are the pacer's).
    mutating func nextEarlyRetryCandidate() -> (position: UInt64, host: Int)? {
        guard pass == 0 else { return nil }
        while earlyPosition < position {
            let (host, item) = pair(at: earlyPosition)
            if detached[host] { return nil }
            // A host with no retry allowed now never gets one: only an answered retry raises it.
            if lastPass[host] < 1 || answered.contains(host: host, item: item) {
                earlyPosition += UInt64(shard.count)
                continue
            }
            return (earlyPosition, host)
        }
        return nil
    }

    /// Takes the candidate `nextEarlyRetryCandidate` returned: its second try, sent now.
    mutating func takeEarlyRetry() -> WorkItem? {
        guard nextEarlyRetryCandidate() != nil else { return nil }
        let (host, item) = pair(at: earlyPosition)
        earlyPosition += UInt64(shard.count)
        return WorkItem(host: host, item: item, tryNumber: pass + 1)
    }

    /// A final state arrived. True when it is the pair's first (only the first one counts).
    /// Only a first answer to a retransmission is evidence of loss: a second answer to a pair
    /// means the earlier try was only slow, and its retransmission was spurious.
    @discardableResult
    mutating func recordAnswer(host: Int, item: Int, tryNumber: Int) -> Bool {
        guard answered.insert(host: host, item: item) else { return false }
        if TryNumbers.retransmissions.contains(tryNumber) {
            raiseAllowance(host, to: min(maxRetries, tryNumber + 1))
        }
        remaining -= 1
        // A sweep's other probes are settled too (a few items: no list made per answer).
        if settlesHost {
            for other in 0 ..< itemCount where answered.insert(host: host, item: other) { remaining -= 1 }
        }
        return true
    }

    /// The wait after the current pass is over. Hosts whose allowance ends with this pass are
    /// returned with their unanswered items, which are now final (silence), and marked done; the
    /// next pass begins. Detached hosts are left to whoever holds them.
    mutating func endPass() -> SilentList {
        var finished = SilentList(itemCount: itemCount)
        for host in 0..<hostCount where !detached[host] && Int(lastPass[host]) <= pass {
            let missing = answered.unansweredCount(host: host)
            if missing == itemCount {
                finalizeEveryItem(of: host)
                finished.appendEveryItem(of: host)
            } else if missing > 0 {
                let items = answered.unanswered(host: host)
                finalize(host: host, items: items)
                finished.append(host: host, items: items)
            }
        }
        pass += 1
        // The second pass goes on from where its early retries stopped.
        position = pass == 1 ? earlyPosition : UInt64(shard.index - 1)
        return finished
    }

    /// Whether the end of the current pass gives `host`'s unanswered items their final state (its
    /// allowance ends with this pass), as opposed to only deciding their retransmission.
    /// The allowance only grows, so a pass that is not final for a host never becomes final.
    func passEndIsFinal(for host: Int) -> Bool { Int(lastPass[host]) <= pass }

    /// Whether any host still takes part in the passes.
    var hasPassWork: Bool {
        (0..<hostCount).contains {
            !detached[$0] && Int(lastPass[$0]) >= pass && answered.unansweredCount(host: $0) > 0
        }
    }

    /// Takes a host out of the passes (the UDP pacer probes it from now on).
    mutating func detach(_ host: Int) { detached[host] = true }

    /// Gives a host back to the passes, allowed at least one more.
    mutating func reattach(_ host: Int) {
        detached[host] = false
        raiseAllowance(host, to: min(Self.retryCeiling, pass + 1))
    }

    private mutating func raiseAllowance(_ host: Int, to last: Int) {
        guard last > Int(lastPass[host]) else { return }
        lastPass[host] = UInt8(last)
        allowanceChanges += 1
    }

    /// Items that got their final state some other way (the pacer decided them silent).
    mutating func finalize(host: Int, items: [Int]) {
        for item in items where answered.insert(host: host, item: item) { remaining -= 1 }
    }

    private mutating func finalizeEveryItem(of host: Int) {
        for item in 0..<itemCount where answered.insert(host: host, item: item) { remaining -= 1 }
    }
}
