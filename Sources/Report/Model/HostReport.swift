import FoundationEssentials
import PortgridCore

/// Everything a report says about one host: identity, status, and its ports as the formats list
/// them (merged across techniques, folded by nmap's extraports rule).
public struct HostReport: Sendable {
    public var address: IPAddress
    /// The name the user typed (nmap: hostname type "user").
    public var hostname: String?
    /// The reverse-DNS name (nmap: hostname type "PTR").
    public var reverseName: String?
    public var status: HostStatus
    public var reason: Reason
    /// The link-layer address, for a host on the scanner's own link.
    public var mac: String?
    /// TTL of the reply that showed the host up, when a packet did.
    public var replyTTL: UInt8?
    /// The host's own scan: from the start of the first port scan that named it to its last port
    /// result; nil when no port scan named it (a ping sweep, a down host).
    public var scanStart: Date?
    public var scanEnd: Date?
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

    /// The name a person reads first: the one they typed, else the one reverse DNS found.
    public var displayName: String? { hostname ?? reverseName }
}
