import PortgridCore

/// Everything a report says about one host: identity, status, and its ports as the formats list
/// them (merged across techniques, folded by nmap's extraports rule).
public struct HostReport: Sendable {
    public var address: IPAddress
    public var hostname: String?
    public var status: HostStatus
    public var reason: Reason
    /// The host's round trip as `RTTSummary` derives it (median of answered probes, else the
    /// host's own RTT); nil when nothing answered.
    public var rtt: Duration?
    /// Ports shown one by one, sorted protocol then port.
    public var listed: [PortResult]
    /// States counted rather than listed, most common first.
    public var folded: [FoldedState]
    /// Ports a scan plan named for this host that have no result yet (an interrupted scan).
    public var notScanned: [TransportProtocol: Int]
    public var times: RTTSummary?

    /// Ports with a result: each is either listed or counted in `folded`, exactly once.
    public var scannedCount: Int { listed.count + folded.reduce(0) { $0 + $1.count } }

    public var notScannedCount: Int { notScanned.values.reduce(0, +) }

    /// Whether port lines apply at all (a ping sweep finds hosts, not ports).
    public var hasPorts: Bool { scannedCount > 0 }
}
