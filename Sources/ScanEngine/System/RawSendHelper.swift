import PortgridCore
import Threads
import Dispatch
import FoundationEssentials
import Synchronization

/// A second sending thread with its own raw socket. The kernel does most of a probe's work in the
/// sender's context (routing, the queue, and on a veth or loopback path the receiver's whole stack
/// too), so one thread sending tops out at one core. The caller hands over the back part of each
/// batch and goes on (sending the front part, receiving, building the next batch) while the helper
/// sends it. Up to `depth` parts may be outstanding, so the helper always has the next one at hand
/// and never waits for the caller, nor the caller for it, unless one runs far ahead.
final class RawSendHelper: @unchecked Sendable {
    // `socket` is only used by the helper thread once `init` returns; everything else is a lock,
    // an atomic or a semaphore.
    private let socket: RawSendSocket
    private let queue = Mutex<[(packets: PacketBatch, range: Range<Int>)]>([])
    /// Parts queued, for the helper to take.
    private let available = DispatchSemaphore(value: 0)
    /// Room for outstanding parts.
    private let slots = DispatchSemaphore(value: RawSendHelper.depth)
    private let outstanding = Atomic<Int>(0)
    /// What the parts sent since the last `collect()` came to, and when the last one was done.
    private let outcome = Mutex(SendReport(consumed: 0))
    private let stopping = Atomic<Bool>(false)
    private let exited = DispatchSemaphore(value: 0)

    /// Parts outstanding at most: one being sent, one waiting.
    static let depth = 2
    /// How long to let a full kernel queue drain before trying again.
    static let shortageBackoff: Duration = .microseconds(100)

    init(ipv6: Bool = false, interface: NetworkInterface? = nil, linkLayer: LinkLayerChoice = .automatic) throws(Errno) {
        socket = try RawSendSocket(ipv6: ipv6, interface: interface, linkLayer: linkLayer)
        OSThread.start(name: "portgrid-send") { [self] in serve() }
    }

    /// Parts handed over and not yet sent.
    var outstandingParts: Int { outstanding.load(ordering: .acquiring) }

    /// Queues `packets[range]` for the helper; blocks while `depth` parts are outstanding.
    func begin(_ packets: PacketBatch, _ range: Range<Int>) {
        slots.wait()
        outstanding.add(1, ordering: .acquiringAndReleasing)
        queue.withLock { $0.append((packets, range)) }
        available.signal()
    }

    /// The refusals and fatal error of the parts done since the last call, and when the helper last
    /// finished a part (`consumed` is 0: the caller counted the parts when it handed them over).
    func collect() -> SendReport {
        outcome.withLock { report in
            defer { report = SendReport(consumed: 0, finishedAt: report.finishedAt) }
            return report
        }
    }

    /// Waits until every part handed over is sent; returns what `collect()` would.
    func finish() -> SendReport {
        for _ in 0..<Self.depth { slots.wait() }
        for _ in 0..<Self.depth { slots.signal() }
        return collect()
    }

    /// Ends the thread (it holds a reference to this object until then). Parts still outstanding
    /// get one try each: a kernel queue that stays full is not waited out any more.
    func stop() {
        stopping.store(true, ordering: .releasing)
        _ = finish()
        available.signal()
        exited.wait()
    }

    private func serve() {
        while true {
            available.wait()
            guard let part = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else {
                if stopping.load(ordering: .acquiring) { break }
                continue
            }
            let report = sendAll(part.packets, part.range)
            let now = ContinuousClock.now
            outcome.withLock { total in
                total = total.merging(report)
                total.finishedAt = now
            }
            outstanding.subtract(1, ordering: .acquiringAndReleasing)
            slots.signal()
        }
        exited.signal()
    }

    /// The whole part: a full kernel queue is waited out here, on this thread, instead of handing
    /// packets back (only a stop ends the wait).
    private func sendAll(_ packets: PacketBatch, _ range: Range<Int>) -> SendReport {
        var total = SendReport(consumed: 0)
        var next = range.lowerBound
        while next < range.upperBound {
            let report = RawSocketIO.send(packets, next ..< range.upperBound, on: socket)
            next += report.consumed
            total = total.merging(report)
            total.consumed += report.consumed
            if report.fatal != nil || next == range.upperBound || stopping.load(ordering: .relaxed) { break }
            OSThread.sleep(for: Self.shortageBackoff)
        }
        return total
    }
}
