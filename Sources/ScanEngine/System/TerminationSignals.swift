import Threads
import FoundationEssentials
import Glibc
import Synchronization

/// SIGINT, SIGTERM and SIGHUP, in every mode (headless and TUI), end a scan through the program's own
/// path so that the results found are written, once and whole; SIGPIPE is ignored so that a closed
/// pipe on stdout is an error to report (EPIPE), not a silent death before the files are written.
///
/// The handlers stay installed for the life of the process: a second signal while the reports are
/// being written only adds to the record and can no longer cut them off (restoring the default
/// disposition after the scan is what once let a second Ctrl-C kill a run mid-write).
///
/// A real `sigaction` handler that writes the signal number to a pipe (the self-pipe trick), read by
/// one thread that calls the watchers: nothing but `write(2)` runs in signal context. Dispatch's
/// signal sources were not used: on Linux they rely on the signal being blocked in the thread the
/// kernel picks, and with `SIG_IGN` as the disposition a signal sent to an unblocked thread is dropped.
public final class TerminationSignals: Sendable {
    /// The signals that end a run; each is answered the same way.
    public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// The process's one instance: signal dispositions are process-wide.
    public static let shared = TerminationSignals()

    /// A registration made by `watch`; `cancel` stops the calls.
    public struct Watch: Sendable {
        fileprivate let id: Int
        fileprivate let owner: TerminationSignals

        public func cancel() { owner.watchers.withLock { _ = $0.removeValue(forKey: id) } }
    }

    private let firstSignal = Atomic<Int32>(0)
    private let installed = Mutex(false)
    private let watchers = Mutex<[Int: @Sendable (Int32) -> Void]>([:])
    private let nextID = Atomic<Int>(0)

    private init() {}

    /// Installs the handlers (once; later calls do nothing) and ignores SIGPIPE. Call before the first
    /// probe: from then on no termination signal kills the process.
    public func install() {
        let first = installed.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        signal(SIGPIPE, SIG_IGN)
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            // No pipe (descriptors exhausted): the default dispositions stay, and a signal ends the
            // process as it always did.
            return
        }
        for fd in ends { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // The reading end blocks; only the handler's end must never block.
        _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
        signalPipeWriteEnd.store(ends[1], ordering: .releasing)
        let reader = ends[0]
        OSThread.start(name: "portgrid.signals") { [self] in readLoop(reader) }
        for number in Self.handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = relayTerminationSignal
            sigemptyset(&action.sa_mask)
            // Interrupted system calls resume: no code path has to treat EINTR as "a signal came".
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
    }

    /// Unblocks the termination signals in the calling thread. A process can start with them blocked
    /// (its parent's thread had them blocked, as a test runner's may), and dispatch's worker threads,
    /// and every thread they start, keep them blocked: the main thread, which only waits, is where
    /// they are taken.
    public static func unblockInThisThread() {
        var ending = sigset_t()
        sigemptyset(&ending)
        for number in handled { sigaddset(&ending, number) }
        pthread_sigmask(SIG_UNBLOCK, &ending, nil)
    }

    /// The first termination signal received, nil if none.
    public var received: Int32? {
        let value = firstSignal.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// Calls `body` with every termination signal from now on, on the signal thread. If one has already
    /// arrived, `body` is called with it at once, so a signal between `install` and `watch` is not lost.
    public func watch(_ body: @escaping @Sendable (Int32) -> Void) -> Watch {
        let id = nextID.add(1, ordering: .relaxed).newValue
        watchers.withLock { $0[id] = body }
        if let received { body(received) }
        return Watch(id: id, owner: self)
    }

    /// Records a termination that arrived by another road (Ctrl-C read as a key in raw mode) as if the
    /// signal had come, and tells the watchers.
    public func deliver(_ number: Int32) {
        _ = firstSignal.compareExchange(expected: 0, desired: number, ordering: .acquiringAndReleasing)
        for body in watchers.withLock({ Array($0.values) }) { body(number) }
    }

    private func readLoop(_ fd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count == 1 {
                deliver(Int32(byte))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}

/// The pipe the handler writes to; -1 until installed. A global so the C-convention handler reaches it.
private let signalPipeWriteEnd = Atomic<Int32>(-1)

/// Runs in signal context: only async-signal-safe calls, errno kept for the interrupted code.
private func relayTerminationSignal(_ number: Int32) {
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipeWriteEnd.load(ordering: .relaxed), &byte, 1)
    errno = saved
}
