import Dispatch
import Foundation

/// A second sending thread with its own raw socket. The kernel does most of a probe's work in the
/// sender's context (routing, the queue, and on a veth or loopback path the receiver's whole stack
/// too), so one thread sending tops out at one core; two halves of each batch sent at once use
/// two. The handoff is one batch at a time: `send` blocks until the helper's half is out, so the
/// engine above stays single-threaded.
final class RawSendHelper: @unchecked Sendable {
    // The fields below are only touched by one side at a time: the caller before `start.signal()`
    // and after `finished.wait()`, the helper between the two. The semaphores order the accesses.
    private let socket: RawSendSocket
    private let start = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var work: ArraySlice<OutgoingPacket> = []
    private var report = SendReport(consumed: 0)
    private var stopping = false

    init() throws(Errno) {
        socket = try RawSendSocket()
        let thread = Thread { [self] in serve() }
        thread.name = "portgrid-send"
        thread.start()
    }

    /// Hands `packets` to the helper; collect the outcome with `wait()`.
    func begin(_ packets: ArraySlice<OutgoingPacket>) {
        work = packets
        start.signal()
    }

    func wait() -> SendReport {
        finished.wait()
        work = []
        return report
    }

    /// Ends the thread (it holds a reference to this object until then).
    func stop() {
        stopping = true
        start.signal()
        finished.wait()
    }

    private func serve() {
        while true {
            start.wait()
            if stopping { break }
            report = RawSocketIO.send(work, on: socket)
            finished.signal()
        }
        finished.signal()
    }
}
