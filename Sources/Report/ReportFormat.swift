/// The output formats, named as the `-o` flags name them.
public enum ReportFormat: String, CaseIterable, Sendable {
    case normal, xml, grepable, json, csv, markdown

    /// The format a file name asks for by its extension (case-insensitive), nil when it names none:
    /// `.txt`/`.nmap` normal, `.xml`, `.gnmap`/`.grep` grepable, `.json`, `.csv`, `.md`/`.markdown`.
    public static func inferred(fromPath path: String) -> ReportFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "txt", "nmap": return .normal
        case "xml": return .xml
        case "gnmap", "grep": return .grepable
        case "json": return .json
        case "csv": return .csv
        case "md", "markdown": return .markdown
        default: return nil
        }
    }

    /// The extension `-oA`-style naming and the TUI's export prompt suggest for this format.
    public var fileExtension: String {
        switch self {
        case .normal: "nmap"
        case .xml: "xml"
        case .grepable: "gnmap"
        case .json: "json"
        case .csv: "csv"
        case .markdown: "md"
        }
    }
}
