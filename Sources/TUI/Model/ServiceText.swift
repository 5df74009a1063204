import PortgridCore

/// What the screen writes beside a port: the detected service and version when -sV learned them
/// (escaped: the service chose those bytes), else the port table's name. One home for the rule, so
/// the open-ports panel, the list, the host detail and the port detail agree.
extension AppState {
    func detectionProgress(_ host: IPAddress, _ proto: TransportProtocol, _ port: UInt16) -> DetectionState.Progress? {
        detection?.progress(ServiceKey(host: host, proto: proto, port: port))
    }

    /// `ssl/http` when detected, else the table's `https`, else nil.
    func serviceName(_ host: IPAddress, _ proto: TransportProtocol, _ port: UInt16) -> String? {
        if case .learned(let identity) = detectionProgress(host, proto, port) {
            return SafeText.printable(identity.displayName)
        }
        return services.name(port: port, proto: proto)
    }

    /// The VERSION column: product, version and extra info when learned, a word for where detection
    /// stands otherwise, nil without -sV or for a port that is not open.
    func versionText(_ host: IPAddress, _ proto: TransportProtocol, _ port: UInt16, open: Bool) -> String? {
        guard let progress = detectionProgress(host, proto, port) else { return nil }
        switch progress {
        case .learned(let identity): return SafeText.printable(identity.versionLine)
        case .probing: return "probing…"
        case .waiting: return "not probed (V)"
        case .notProbed: return open ? "" : nil
        }
    }
}
