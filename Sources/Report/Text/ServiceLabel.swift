import PortgridCore

/// Service names as each format shows them, with nmap's conventions so tools that compare with
/// nmap's output see the same thing: the table says `unknown` for a port without a name, while
/// XML has no `<service>` element and grepable an empty field (ndiff counts `unknown` against
/// nothing as a difference).
struct ServiceLabel {
    let services: ServiceNames
    var detected = DetectedServiceText(detected: nil)

    init(services: ServiceNames, detected: [ServiceKey: ServiceIdentity]? = nil) {
        self.services = services
        self.detected = DetectedServiceText(detected: detected)
    }

    /// The detected name (`ssl/http`) when `-sV` found one, else the port table's.
    func name(_ result: PortResult) -> String? {
        detected.serviceColumn(result) ?? services.name(port: result.port, proto: result.proto)
    }

    /// The table column (normal output, Markdown).
    func table(_ result: PortResult) -> String { name(result) ?? "unknown" }
}
