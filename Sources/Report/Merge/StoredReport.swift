import PortgridCore

/// A portgrid report read back: the scan it came from and what it found, port by port (folded
/// extraports expanded again), ready to be merged with other shards or resumed.
public struct StoredReport: Sendable {
    /// Where it was read from, for messages.
    public var source: String
    public var request: ScanRequest
    public var interrupted: Bool
    public var hosts: [HostResult]
    public var results: [PortResult]
    /// What `-sV` learned of each port; nil when the report was not of a `-sV` scan.
    public var detected: [ServiceKey: ServiceIdentity]?

    public init(source: String, request: ScanRequest, interrupted: Bool, hosts: [HostResult], results: [PortResult],
                detected: [ServiceKey: ServiceIdentity]? = nil) {
        self.detected = detected
        self.source = source
        self.request = request
        self.interrupted = interrupted
        self.hosts = hosts
        self.results = results
    }

    /// What this report already decided: its port results, and for a ping sweep its hosts with a
    /// status. `--resume` skips these.
    public var finishedWork: FinishedWork {
        var work = FinishedWork()
        if request.technique.scansPorts {
            for result in results { work.insert(result.host, port: result.port) }
        } else {
            for host in hosts where host.status != .unknown { work.insert(host.address) }
        }
        return work
    }
}

/// Why a report could not be read back, merged or resumed; one line each.
public enum StoredReportError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(String, why: String)
    case notPortgrid(String)
    case noRequest(String)
    case foldedWithoutPorts(String)
    case invalidField(String, field: String, value: String)
    case mismatch(String, String, field: String)
    case noInputs

    public var description: String {
        switch self {
        case .unreadable(let file, let why): "cannot read \(file): \(why)"
        case .notPortgrid(let file): "\(file) is not a portgrid JSON or XML report"
        case .noRequest(let file):
            "\(file) does not record its scan request (written by an older portgrid, or not with -oJ)"
        case .foldedWithoutPorts(let file):
            "\(file) counts folded ports without naming them (an older portgrid): they cannot be merged"
        case .invalidField(let file, let field, let value): "\(file): invalid \(field) '\(value)'"
        case .mismatch(let first, let other, let field):
            "\(other) is from a different scan than \(first) (\(field) differ); --force merges anyway"
        case .noInputs: "merge needs at least one report"
        }
    }
}
