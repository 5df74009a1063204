import FoundationEssentials
import ServiceProbes

/// Where the probes come from: nmap's database when it is installed, else the built-in set.
public enum ProbeDatabaseLoader {
    public static let nmapPath = "/usr/share/nmap/nmap-service-probes"

    public struct Loaded: Sendable {
        public var database: ProbeDatabase
        /// The file read, or "built-in".
        public var source: String
    }

    /// Reads `path` (default: nmap's), falling back to the built-in set when it is missing or holds no probe.
    public static func load(path: String? = nil) -> Loaded {
        let path = path ?? nmapPath
        if let data = FileManager.default.contents(atPath: path) {
            let database = ProbeFileParser.parse([UInt8](data))
            if !database.probes.isEmpty { return Loaded(database: database, source: path) }
        }
        return Loaded(database: BuiltinProbes.database, source: "built-in")
    }
}
