import PortgridCore

/// Service detection (-sV) in a session: which open ports are being probed, which wait for the
/// person to turn detection back on, and what was learned. The reducer decides which port is
/// probed when; the runtime only carries the orders out (Effect.probeServices).
struct DetectionState: Hashable, Sendable {
    /// V turns it off (no new probes) and on (the ports found meanwhile are probed).
    var enabled = true
    /// Handed to the prober, no answer yet; the value is the scan's round trip to the host.
    var probing: [ServiceKey: Duration?] = [:]
    /// Found open while detection was off, or stopped mid-probe by turning it off.
    var waiting: [ServiceKey: Duration?] = [:]
    var learned: [ServiceKey: ServiceIdentity] = [:]

    /// What the screen says about a port's detection.
    enum Progress: Hashable, Sendable {
        case learned(ServiceIdentity)
        case probing
        case waiting
        case notProbed
    }

    func progress(_ key: ServiceKey) -> Progress {
        if let identity = learned[key] { return .learned(identity) }
        if probing[key] != nil { return .probing }
        if waiting[key] != nil { return .waiting }
        return .notProbed
    }
}

/// One open port for the prober, with the round trip that scales its waits.
struct ServiceProbeOrder: Hashable, Sendable {
    var key: ServiceKey
    var rtt: Duration?
}
