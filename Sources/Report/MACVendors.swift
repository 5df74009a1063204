import Foundation

/// nmap's table of hardware vendors by the first three bytes of a MAC address (nmap-mac-prefixes:
/// `3E38D5 Vendor name` lines), so a MAC address reads as nmap prints it: `3E:38:D5:94:DB:D7 (Unknown)`.
public struct MACVendors: Sendable {
    private var byPrefix: [String: String] = [:]

    public init() {}

    /// The table in nmap's format; lines that are not `HEX6 name` are skipped.
    public init(parsing text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let prefix = line[..<space].uppercased()
            let name = line[line.index(after: space)...].trimmingCharacters(in: .whitespaces)
            guard prefix.count == 6, prefix.allSatisfy(\.isHexDigit), !name.isEmpty else { continue }
            byPrefix[prefix] = name
        }
    }

    /// nmap's file where nmap is installed; an empty table otherwise (every vendor then unknown).
    public static func load(path: String = NmapDataFiles.directory + "/nmap-mac-prefixes") -> MACVendors {
        FileManager.default.contents(atPath: path).map { MACVendors(parsing: String(decoding: $0, as: UTF8.self)) } ?? MACVendors()
    }

    public var isEmpty: Bool { byPrefix.isEmpty }

    /// The vendor of `mac` (`3E:38:D5:94:DB:D7`), nil when the table does not know its prefix.
    public func vendor(of mac: String) -> String? {
        byPrefix[String(mac.filter(\.isHexDigit).prefix(6)).uppercased()]
    }
}
