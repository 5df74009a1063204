import Foundation
import PortgridCore

/// Service names for reports: the built-in table (nmap's names for the common ports, the same on
/// every machine, so our XML agrees with nmap's for `ndiff`) with the system's services database
/// (netbase's /etc/services) filling in every port the table does not name.
public enum ServiceDatabase {
    public static func load(path: String = "/etc/services") -> ServiceNames {
        guard let data = FileManager.default.contents(atPath: path) else { return .builtIn }
        return ServiceNames.builtIn.merging(ServiceNames.parse(servicesFile: String(decoding: data, as: UTF8.self)))
    }
}
