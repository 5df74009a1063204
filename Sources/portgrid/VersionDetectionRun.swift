import Foundation
import PortgridCore
import ServiceDetection

/// `-sV` for a run: a detector that open ports are handed to as the scan finds them (headless), or all
/// at once when the scan is over (after a TUI session), and the identities gathered for the report.
/// nmap's database (11,000 patterns to compile) loads on a thread of its own while the port scan starts;
/// ports found before it is ready wait in a list and are handed over the moment it is.
final class VersionDetectionRun: @unchecked Sendable {
    private let condition = NSCondition()
    private var detector: ServiceDetector?
    private var waiting: [(key: ServiceKey, rtt: Duration?)] = []
    private var cancelled = false

    /// `verbose`: say on stderr which probe database is used and which of its lines were skipped.
    init(intensity: Int, timing: TimingProfile, verbose: Bool,
         names: @escaping @Sendable (UInt16, TransportProtocol) -> String?) {
        let thread = Thread { [self] in
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
            let ready = ServiceDetector(database: loaded.database, settings: DetectionSettings(intensity: intensity, timing: timing),
                                        tableName: names, maxRate: timing.maxRate)
            condition.lock()
            // Queued ports go in before anyone can see the detector (and finish it).
            for (key, rtt) in waiting { ready.submit(key, rtt: rtt) }
            waiting = []
            if cancelled { ready.cancel() }
            detector = ready
            condition.broadcast()
            condition.unlock()
        }
        thread.name = "portgrid.probes"
        thread.start()
    }

    /// Hands the open ports of a batch of results to the detector (each port once), with the round trip
    /// the scan measured to each, which scales the probes' waits.
    func submitOpen(_ results: [PortResult]) {
        for result in results where result.state == .open {
            let key = ServiceKey(host: result.host, proto: result.proto, port: result.port)
            condition.lock()
            if let detector {
                condition.unlock()
                detector.submit(key, rtt: result.rtt)
            } else {
                waiting.append((key, result.rtt))
                condition.unlock()
            }
        }
    }

    func cancel() {
        condition.lock()
        cancelled = true
        let ready = detector
        condition.unlock()
        ready?.cancel()
    }

    /// Submits whatever open port the store holds that was not handed over yet, then waits for every port.
    func collect(from store: ResultStore) async -> [ServiceKey: ServiceIdentity] {
        submitOpen(store.results(in: .open))
        let ready = await withCheckedContinuation { (continuation: CheckedContinuation<ServiceDetector, Never>) in
            // Waits on a thread of its own: never block the cooperative pool on the loading thread.
            Thread { [self] in
                condition.lock()
                while detector == nil { condition.wait() }
                let ready = detector!
                condition.unlock()
                continuation.resume(returning: ready)
            }.start()
        }
        ready.finish()
        var found: [ServiceKey: ServiceIdentity] = [:]
        for await (key, identity) in ready.results { found[key] = identity }
        return found
    }
}
