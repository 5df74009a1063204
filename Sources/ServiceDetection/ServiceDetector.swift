import Threads
import FoundationEssentials
import Glibc
import PortgridCore
import ServiceProbes

/// Version detection over a bounded pool of threads, each probing one port at a time with blocking,
/// deadline-bounded I/O. Ports are submitted as the port scan finds them open (so detection runs beside
/// the scan); identities come out of `results` as each port is done, and the stream ends after `finish()`
/// once every submitted port is done (or at once after `cancel()`).
public final class ServiceDetector: @unchecked Sendable {
    public let results: AsyncStream<(ServiceKey, ServiceIdentity)>
    private let continuation: AsyncStream<(ServiceKey, ServiceIdentity)>.Continuation
    private let prober: PortProber
    private let tableName: @Sendable (UInt16, TransportProtocol) -> String?
    private let parallelism: Int
    private let condition = ConditionLock()
    private var queue: [(key: ServiceKey, rtt: Duration?)] = []
    private var seen: Set<ServiceKey> = []
    private var workers = 0
    private var busy = 0
    private var finishing = false
    private var cancelled = false

    /// `tableName` names a port from the services table when no probe matches it (nmap's method="table").
    public init(database: ProbeDatabase, settings: DetectionSettings,
                tableName: @escaping @Sendable (UInt16, TransportProtocol) -> String?, maxRate: Double? = nil) {
        let tls = settings.tlsEnabled ? TLSContext() : nil
        var settings = settings
        settings.tlsEnabled = tls != nil
        prober = PortProber(database: database, settings: settings, tls: tls, pacer: ConnectPacer(maxRate: maxRate))
        self.tableName = tableName
        parallelism = settings.parallelism
        (results, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Queues an open port (once; a port submitted again is ignored). Ports nmap's `Exclude` names are skipped.
    /// `rtt` is the port scan's round trip to the host, when it measured one: waits are scaled to it.
    public func submit(_ key: ServiceKey, rtt: Duration? = nil) {
        let transport: ProbeTransport = key.proto == .udp ? .udp : .tcp
        if prober.database.isExcluded(port: key.port, transport: transport) { return }
        condition.lock()
        defer { condition.unlock() }
        guard !finishing, !cancelled, seen.insert(key).inserted else { return }
        queue.append((key, rtt))
        if workers < parallelism && workers - busy < queue.count {
            workers += 1
            OSThread.start(name: "portgrid-sV", stackSize: 1 << 20) { [self] in work() }
        }
        condition.signal()
    }

    /// No more ports will come: the stream ends when the queued ones are done.
    public func finish() {
        condition.lock()
        finishing = true
        let idle = workers == 0
        condition.broadcast()
        condition.unlock()
        if idle { continuation.finish() }
    }

    /// Stop: queued ports are dropped, ports in progress stop at their next probe, the stream ends.
    public func cancel() {
        condition.lock()
        cancelled = true
        finishing = true
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
        continuation.finish()
    }

    /// The probers' nice value, above the scan's 0.
    static let niceness: Int32 = 10

    private var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    private func work() {
        // The port scan comes first: on a busy machine the scheduler gives the scan's threads the
        // cores before the probers' (connects and pattern matching), which is what keeps -sV from
        // slowing the port scan itself (issue 16). On Linux the nice value is per thread, and
        // PRIO_PROCESS with 0 names the calling thread only.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
        while true {
            condition.lock()
            while queue.isEmpty && !finishing { condition.wait() }
            guard !queue.isEmpty, !cancelled else {
                workers -= 1
                let last = workers == 0
                condition.unlock()
                if last { continuation.finish() }
                return
            }
            let (key, rtt) = queue.removeFirst()
            busy += 1
            condition.unlock()
            let identity = prober.identify(key, rtt: rtt, tableName: tableName(key.port, key.proto),
                                           cancelled: { isCancelled })
            if !isCancelled { continuation.yield((key, identity)) }
            condition.lock()
            busy -= 1
            condition.unlock()
        }
    }
}
