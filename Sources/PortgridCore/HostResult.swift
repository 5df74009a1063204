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
