import PortgridCore

/// Service names as each format shows them, with nmap's conventions so tools that compare with
/// nmap's output see the same thing: the table says `unknown` for a port without a name, while
/// XML has no `<service>` element and grepable an empty field (ndiff counts `unknown` against
/// nothing as a difference).
struct ServiceLabel {
    let services: ServiceNames

    func name(_ result: PortResult) -> String? { services.name(port: result.port, proto: result.proto) }

    /// The table column (normal output, Markdown).
    func table(_ result: PortResult) -> String { name(result) ?? "unknown" }
}
