import PortgridCore
import ServiceDetection

/// `-sV` for a run: a detector that open ports are handed to as the scan finds them (headless), or all
/// at once when the scan is over (after a TUI session), and the identities gathered for the report.
final class VersionDetectionRun: Sendable {
    let detector: ServiceDetector
    /// nmap's database path, or "built-in".
    let source: String

    init(intensity: Int, timing: TimingProfile, names: @escaping @Sendable (UInt16, TransportProtocol) -> String?) {
        let loaded = ProbeDatabaseLoader.load()
        source = loaded.source
        detector = ServiceDetector(database: loaded.database, settings: DetectionSettings(intensity: intensity, timing: timing),
                                   tableName: names, maxRate: timing.maxRate)
    }

    /// Hands the open ports of a batch of results to the detector (each port once).
    func submitOpen(_ results: [PortResult]) {
        for result in results where result.state == .open {
            detector.submit(ServiceKey(host: result.host, proto: result.proto, port: result.port))
        }
    }

    func cancel() { detector.cancel() }

    /// Submits whatever open port the store holds that was not handed over yet, then waits for every port.
    func collect(from store: ResultStore) async -> [ServiceKey: ServiceIdentity] {
        submitOpen(Array(store.ports.values))
        detector.finish()
        var found: [ServiceKey: ServiceIdentity] = [:]
        for await (key, identity) in detector.results { found[key] = identity }
        return found
    }
}
