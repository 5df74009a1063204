public enum HostStatus: String, Hashable, Sendable {
    case up, down, unknown
}

/// What is known of one host: whether it is up, why we think so, and how far away it is.
public struct HostResult: Hashable, Sendable {
    public var address: IPAddress
    /// The name the user typed for this address (nmap's hostname type "user").
    public var hostname: String?
    public var status: HostStatus
    public var reason: Reason
    public var rtt: Duration?
    /// TTL of the reply that showed the host up (nmap's status `reason_ttl`), when a packet did.
    public var replyTTL: UInt8?
    /// The address's reverse-DNS name (nmap's hostname type "PTR"), when it was looked up and found.
    public var reverseName: String?

    public init(address: IPAddress, hostname: String? = nil, status: HostStatus, reason: Reason,
                rtt: Duration? = nil, replyTTL: UInt8? = nil, reverseName: String? = nil) {
        self.address = address
        self.hostname = hostname
        self.status = status
        self.reason = reason
        self.rtt = rtt
        self.replyTTL = replyTTL
        self.reverseName = reverseName
    }

    /// A report that knows nothing of the host's status, only a name found for it (reverse DNS
    /// after discovery): merged, it adds the name and changes nothing else.
    public static func named(_ address: IPAddress, reverseName: String) -> HostResult {
        HostResult(address: address, status: .unknown, reason: .userSet, reverseName: reverseName)
    }
}

extension HostResult {
    /// The one rule for what we know of a host when a new report of it arrives: "up" is sticky (one
    /// technique's silence does not undo another's reply), a report of unknown status only adds
    /// names, and names, round trips and TTLs are kept once known.
    /// nil means the new report changes nothing. ResultStore and the TUI's host list both use it.
    public func merged(with newer: HostResult) -> HostResult? {
        let keepsStatus = newer.status == .unknown || (status == .up && newer.status != .up)
        var result = keepsStatus ? self : newer
        result.hostname = hostname ?? newer.hostname
        result.reverseName = newer.reverseName ?? reverseName
        if !keepsStatus {
            result.rtt = newer.rtt ?? rtt
            result.replyTTL = newer.replyTTL ?? replyTTL
        }
        return result == self ? nil : result
    }
}
