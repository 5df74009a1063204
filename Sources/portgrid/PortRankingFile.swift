import FoundationEssentials
import PortgridCore

/// The port ranking on this machine: nmap-services' frequencies when nmap is installed (so the
/// default scan, `--top-ports` and `-F` match nmap's port for port), the built-in ranking otherwise.
/// Read before the scan, once: the request is made of it.
enum PortRankingFile {
    static let paths = ["/usr/share/nmap/nmap-services", "/usr/local/share/nmap/nmap-services"]

    static func installed(paths: [String] = PortRankingFile.paths) -> PortRanking {
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            if let ranking = data.withUnsafeBytes({ PortRanking.parse(servicesFile: $0, source: path) }) { return ranking }
        }
        return .builtIn
    }
}
