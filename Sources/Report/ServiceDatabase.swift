import FoundationEssentials
import PortgridCore

/// Service names for reports, in three layers, first match wins:
/// 1. nmap's own table (nmap-services), when nmap is installed: then our XML names every port
///    exactly as nmap's XML of the same scan does, which is what `ndiff` compares;
/// 2. the built-in table (nmap's names for the common ports), so names show on any machine;
/// 3. the system's services database (netbase's /etc/services) for everything else.
public enum ServiceDatabase {
    /// Where Debian's nmap package keeps its table.
    public static let nmapServicesPath = "/usr/share/nmap/nmap-services"

    public static func load(path: String = "/etc/services", nmapServices: String? = nmapServicesPath) -> ServiceNames {
        var names = ServiceNames.builtIn
        if let system = parse(path) { names = names.merging(system) }
        // `merging` keeps the receiver's names where both have one: nmap's table goes on top.
        if let nmapServices, let nmap = parse(nmapServices) { names = nmap.merging(names) }
        return names
    }

    /// The file's bytes go to the parser as they are: no String of the whole file is made.
    private static func parse(_ path: String) -> ServiceNames? {
        FileManager.default.contents(atPath: path).map { data in
            data.withUnsafeBytes { ServiceNames.parse(servicesFile: $0) }
        }
    }
}
