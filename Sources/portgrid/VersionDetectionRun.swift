import Threads
import FoundationEssentials
import PortgridCore
import ServiceDetection
import ServiceProbes
import TUI

/// `-sV` for a run: open ports are handed over as the scan finds them (headless, and live in the TUI),
/// and every identity learned is kept for the report. nmap's database (11,000 patterns to compile)
/// loads on a thread of its own while the port scan starts; ports found before it is ready wait in a
/// list and are handed over the moment it is. The TUI may stop detection (V) and start it again: a
/// stop cancels the current detector, and the next port starts a fresh one on the same database.
final class VersionDetectionRun: LiveServiceDetection, @unchecked Sendable {
    private let condition = ConditionLock()
    private let intensity: Int
    private let timing: TimingProfile
    private let names: @Sendable (UInt16, TransportProtocol) -> String?
    private var database: ProbeDatabase?
    private var detector: ServiceDetector?
    /// Reads the current detector's identities into `found`.
    private var forwarder: Task<Void, Never>?
    private var waiting: [(key: ServiceKey, rtt: Duration?)] = []
    private var found: [ServiceKey: ServiceIdentity] = [:]
    private var onFound: (@Sendable (ServiceKey, ServiceIdentity) -> Void)?
    private var cancelled = false
    /// The ports `identities(of:)` still waits for (one waiter at a time: a headless run's groups
    /// are written one after another).
    private var awaited: Set<ServiceKey> = []

    /// `verbose`: say on stderr which probe database is used and which of its lines were skipped.
    init(intensity: Int, timing: TimingProfile, verbose: Bool,
         names: @escaping @Sendable (UInt16, TransportProtocol) -> String?) {
        self.intensity = intensity
        self.timing = timing
        self.names = names
        OSThread.start(name: "portgrid.probes") { [self] in
            let loaded = ProbeDatabaseLoader.load()
            if verbose {
                let database = loaded.database
                let rules = database.probes.reduce(0) { $0 + $1.rules.count }
                var line = "portgrid: -sV: \(database.probes.count) probes, \(rules) match lines from \(loaded.source)"
                if let first = database.issues.first {
                    line += "; \(database.issues.count) line(s) skipped, first \(first)"
                }
                StandardError.write(line + "\n")
            }
            condition.lock()
            database = loaded.database
            // Queued ports go in before anyone can see the detector (and finish it).
            for (key, rtt) in waiting { handOver(key, rtt: rtt) }
            waiting = []
            condition.broadcast()
            condition.unlock()
        }
    }

    func report(to found: @escaping @Sendable (ServiceKey, ServiceIdentity) -> Void) {
        condition.lock()
        onFound = found
        condition.unlock()
    }

    /// Hands the open ports of a batch of results to the detector, with the round trip the scan
    /// measured to each, which scales the probes' waits.
    func submitOpen(_ results: some Sequence<PortResult>) {
        for result in results where result.state == .open {
            probe(ServiceKey(host: result.host, proto: result.proto, port: result.port), rtt: result.rtt)
        }
    }

    /// Each port once per detector; a port already identified is not probed again.
    func probe(_ key: ServiceKey, rtt: Duration?) {
        condition.lock()
        defer { condition.unlock() }
        guard !cancelled, found[key] == nil else { return }
        if database == nil {
            waiting.append((key, rtt))
        } else {
            handOver(key, rtt: rtt)
        }
    }

    /// With the lock held and the database loaded.
    private func handOver(_ key: ServiceKey, rtt: Duration?) {
        // A port nmap's Exclude names is never probed (printers print what they get): it is named from
        // the port table, as nmap does, so the screen does not wait on it forever.
        if let database, database.isExcluded(port: key.port, transport: key.proto == .udp ? .udp : .tcp) {
            let identity = ServiceIdentity(name: names(key.port, key.proto) ?? "unknown", method: .table, confidence: 3)
            found[key] = identity
            let tell = onFound
            Task { tell?(key, identity) }
            return
        }
        if detector == nil, let database {
            let fresh = ServiceDetector(database: database, settings: DetectionSettings(intensity: intensity, timing: timing),
                                        tableName: names, maxRate: timing.maxRate)
            detector = fresh
            let previous = forwarder
            forwarder = Task { [self] in
                await previous?.value
                for await (key, identity) in fresh.results { record(key, identity) }
            }
        }
        detector?.submit(key, rtt: rtt)
    }

    private func record(_ key: ServiceKey, _ identity: ServiceIdentity) {
        condition.lock()
        found[key] = identity
        if awaited.remove(key) != nil, awaited.isEmpty { condition.broadcast() }
        let tell = onFound
        condition.unlock()
        tell?(key, identity)
    }

    func stop() {
        condition.lock()
        let current = detector
        detector = nil
        waiting = []
        condition.unlock()
        current?.cancel()
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
        stop()
    }

    /// A finished hostgroup's identities (a headless run writes each group as it finishes): its
    /// open ports not identified yet are submitted, and this waits until each has its identity
    /// (every port handed to the detector yields one) or detection is cancelled. The detector goes
    /// on: later groups' ports go to the same one, and `collect` finishes it at the end.
    func identities(of store: ResultStore) async -> [ServiceKey: ServiceIdentity] {
        let open = store.results(in: .open)
        submitOpen(open)
        let keys = open.map { ServiceKey(host: $0.host, proto: $0.proto, port: $0.port) }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Waits on a thread of its own: never block the cooperative pool.
            OSThread.start(name: "portgrid.sV-group") { [self] in
                condition.lock()
                awaited = Set(keys.filter { found[$0] == nil })
                while !awaited.isEmpty && !cancelled { condition.wait() }
                awaited = []
                condition.unlock()
                continuation.resume()
            }
        }
        return locked { Dictionary(uniqueKeysWithValues: keys.compactMap { key in found[key].map { (key, $0) } }) }
    }

    /// What was learned so far, probing nothing more: the TUI session ended with detection off.
    func learned() async -> [ServiceKey: ServiceIdentity] {
        stop()
        // The stopped detector's stream ends at once; what it yielded before is still read into `found`.
        await locked { forwarder }?.value
        return locked { found }
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Some open port of the store has no identity yet.
    func hasUnfinished(_ store: ResultStore) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return store.results(in: .open).contains { found[ServiceKey(host: $0.host, proto: $0.proto, port: $0.port)] == nil }
    }

    /// Submits whatever open port the store holds that was not identified yet, then waits for every port.
    func collect(from store: ResultStore) async -> [ServiceKey: ServiceIdentity] {
        submitOpen(store.results(in: .open))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            // Waits on a thread of its own: never block the cooperative pool on the loading thread.
            OSThread.start(name: "portgrid.sV-wait") { [self] in
                condition.lock()
                while database == nil { condition.wait() }
                condition.unlock()
                continuation.resume()
            }
        }
        let (current, forwarding) = locked { (detector, forwarder) }
        current?.finish()
        await forwarding?.value
        return locked { found }
    }
}
