import Dispatch
import Glibc
import Synchronization

/// SIGINT, SIGTERM and SIGHUP while the TUI runs become a quit through the app's own path, so the
/// terminal is restored before anything is printed. Dispositions go back to default on release.
final class SignalWatcher: Sendable {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private let sources: Mutex<[DispatchSourceSignal]>

    init(onSignal: @escaping @Sendable (Int32) -> Void) {
        var sources: [DispatchSourceSignal] = []
        for sig in Self.signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { onSignal(sig) }
            source.resume()
            sources.append(source)
        }
        self.sources = Mutex(sources)
    }

    func release() {
        sources.withLock { list in
            for source in list { source.cancel() }
            list = []
        }
        for sig in Self.signals { signal(sig, SIG_DFL) }
    }
}
