import PortgridCore

/// Service names as each format shows them. nmap's quirks are kept so tools that compare with
/// nmap's output see the same thing: the table says `unknown` for any port without a name,
/// while XML and grepable name an unnamed port `unknown` only when it is open and leave it
/// empty otherwise.
struct ServiceLabel {
    let services: ServiceNames

    func name(_ result: PortResult) -> String? { services.name(port: result.port, proto: result.proto) }

    /// The table column (normal output, Markdown).
    func table(_ result: PortResult) -> String { name(result) ?? "unknown" }

    /// XML `<service name>` and the grepable service field; nil = no service element.
    func machine(_ result: PortResult) -> String? { name(result) ?? (result.state == .open ? "unknown" : nil) }
}
