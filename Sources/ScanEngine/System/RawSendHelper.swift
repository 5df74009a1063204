import Dispatch
import Foundation
import Synchronization

/// A second sending thread with its own raw socket. The kernel does most of a probe's work in the
/// sender's context (routing, the queue, and on a veth or loopback path the receiver's whole stack
/// too), so one thread sending tops out at one core. The caller hands over the back part of a batch
/// and goes on (sending the front part, then receiving and building the next batch) while the
/// helper sends it; one part at a time, collected before the next is handed over, so the engine
/// above stays single-threaded.
final class RawSendHelper: @unchecked Sendable {
    // `work`, `report` and `finishedAt` are only touched by one side at a time: the caller before
    // `start.signal()` and after `finished.wait()`, the helper between the two. The semaphores
    // order the accesses.
    private let socket: RawSendSocket
    private let start = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var work: (packets: PacketBatch, range: Range<Int>)?
    private var report = SendReport(consumed: 0)
    private var finishedAt: ContinuousClock.Instant?
    private let stopping = Atomic<Bool>(false)
    /// Caller side only: a part was handed over and not collected yet.
    private var inFlight = false
    /// How long to let a full kernel queue drain before trying again.
    static let shortageBackoff: Duration = .microseconds(100)

    init() throws(Errno) {
        socket = try RawSendSocket()
        let thread = Thread { [self] in serve() }
        thread.name = "portgrid-send"
        thread.start()
    }

    /// Hands `packets[range]` to the helper; `collect()` before handing over the next part.
    func begin(_ packets: PacketBatch, _ range: Range<Int>) {
        precondition(!inFlight, "the send helper takes one part at a time")
        work = (packets, range)
        inFlight = true
        start.signal()
    }

    /// The outcome of the part handed over last, nil when there is none: its refusals, a fatal
    /// error, when its last packet left, and whether it had to be waited for (it was still sending).
    func collect() -> (report: SendReport, waited: Bool)? {
        guard inFlight else { return nil }
        inFlight = false
        var waited = false
        if finished.wait(timeout: .now()) != .success {
            finished.wait()
            waited = true
        }
        var outcome = report
        outcome.finishedAt = finishedAt
        return (outcome, waited)
    }

    /// Ends the thread (it holds a reference to this object until then).
    func stop() {
        _ = collect()
        stopping.store(true, ordering: .relaxed)
        start.signal()
        finished.wait()
    }

    private func serve() {
        while true {
            start.wait()
            if stopping.load(ordering: .relaxed) { break }
            if let (packets, range) = work {
                report = sendAll(packets, range)
                work = nil
            }
            finishedAt = .now
            finished.signal()
        }
        finished.signal()
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
            Thread.sleep(forTimeInterval: Double(Self.shortageBackoff.components.attoseconds) * 1e-18)
        }
        return total
    }
}
