import Threads
import FoundationEssentials
import PortgridCore
import Synchronization

/// A service table being loaded on a thread of its own, started on creation, so that reading and
/// parsing the services files overlaps the scan instead of delaying its first probe; `names` waits
/// for it only where a report needs it.
///
/// A dedicated thread rather than a task: `names` blocks, and is read from synchronous code running
/// on the cooperative pool (the TUI's report-context closure); blocking that pool's only two threads
/// on work queued to the same pool could deadlock, blocking on a thread of our own cannot.
/// The table stays alive as long as this object does.
public final class PendingServiceNames: Sendable {
    private let loaded = Mutex<ServiceNames?>(nil)
    private let finished = ConditionLock()

    /// Starts `load` at once on a new thread.
    public init(loading load: @escaping @Sendable () -> ServiceNames) {
        OSThread.start(name: "portgrid.services") { [self] in
            let names = load()
            finished.lock()
            loaded.withLock { $0 = names }
            finished.broadcast()
            finished.unlock()
        }
    }

    /// The table, once loaded: waits for the load if it is still running.
    public var names: ServiceNames {
        finished.lock()
        defer { finished.unlock() }
        while true {
            if let names = loaded.withLock({ $0 }) { return names }
            finished.wait()
        }
    }
}

extension ServiceDatabase {
    /// `load(path:nmapServices:)` started in the background.
    public static func loadInBackground(path: String = "/etc/services",
                                        nmapServices: String? = nmapServicesPath) -> PendingServiceNames {
        PendingServiceNames { load(path: path, nmapServices: nmapServices) }
    }
}
