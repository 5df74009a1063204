import Dispatch
import Glibc
import Synchronization

/// Turns SIGINT/SIGTERM into a graceful stop for a headless scan: the scan is cancelled, then the
/// results found so far are printed and written like any other ending. A second signal is the
/// user insisting: stop waiting for the engine and write what we have.
final class SignalTrap: Sendable {
    private let received = Atomic<Int32>(0)
    private let count = Atomic<Int>(0)
    private let sources: Mutex<[DispatchSourceSignal]> = Mutex([])

    init(onSignal: @escaping @Sendable (_ signal: Int32, _ repeated: Bool) -> Void) {
        var made: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                received.store(sig, ordering: .relaxed)
                let seen = count.wrappingAdd(1, ordering: .relaxed).oldValue
                onSignal(sig, seen > 0)
            }
            source.resume()
            made.append(source)
        }
        sources.withLock { $0 = made }
    }

    /// The last signal received, 0 if none.
    var signal: Int32 { received.load(ordering: .relaxed) }

    /// Shell convention: 128 + signal number.
    var exitStatus: Int32? { signal == 0 ? nil : 128 + signal }

    func release() {
        sources.withLock { list in
            for source in list { source.cancel() }
            list = []
        }
        for sig in [SIGINT, SIGTERM] { Glibc.signal(sig, SIG_DFL) }
    }
}
