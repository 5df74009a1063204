import Dispatch
import Glibc
import Synchronization

/// Turns SIGINT/SIGTERM into a graceful stop for a headless scan: the scan is cancelled, then the
/// results found so far are printed and written like any other ending.
final class SignalTrap {
    /// What the handlers share with the main flow; the only state that crosses threads.
    private final class Record: Sendable {
        let last = Atomic<Int32>(0)
    }

    private let record = Record()
    private var sources: [DispatchSourceSignal] = []

    init(onSignal: @escaping @Sendable (_ signal: Int32) -> Void) {
        for sig in [SIGINT, SIGTERM] {
            Glibc.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [record] in
                record.last.store(sig, ordering: .relaxed)
                onSignal(sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The last signal received, 0 if none.
    var signal: Int32 { record.last.load(ordering: .relaxed) }

    /// Shell convention: 128 + signal number.
    var exitStatus: Int32? { signal == 0 ? nil : 128 + signal }

    func release() {
        for source in sources { source.cancel() }
        sources = []
        for sig in [SIGINT, SIGTERM] { Glibc.signal(sig, SIG_DFL) }
    }
}
