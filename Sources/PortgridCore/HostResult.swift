public enum HostStatus: String, Hashable, Sendable {
    case up, down, unknown
}

/// What is known of one host: whether it is up, why we think so, and how far away it is.
public struct HostResult: Hashable, Sendable {
    public var address: IPAddress
    public var hostname: String?
    public var status: HostStatus
    public var reason: Reason
    public var rtt: Duration?

    public init(address: IPAddress, hostname: String? = nil, status: HostStatus, reason: Reason,
                rtt: Duration? = nil) {
        self.address = address
        self.hostname = hostname
        self.status = status
        self.reason = reason
        self.rtt = rtt
    }
}

extension HostResult {
    /// The one rule for what we know of a host when a new report of it arrives: "up" is sticky (one
    /// technique's silence does not undo another's reply), names and round trips are kept once known.
    /// nil means the new report changes nothing. ResultStore and the TUI's host list both use it.
    public func merged(with newer: HostResult) -> HostResult? {
        if status == .up && newer.status != .up { return nil }
        var result = newer
        result.hostname = newer.hostname ?? hostname
        result.rtt = newer.rtt ?? rtt
        return result
    }
}
