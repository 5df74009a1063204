import PortgridCore

/// What one received packet says, once matched to a probe of ours.
enum ReplyVerdict: Hashable, Sendable {
    /// It decides a port: `item` is the port's index in the plan's port set.
    case port(PortAnswer)
    /// It proves a host up (discovery).
    case host(HostAnswer)
    /// Not an answer to any probe of ours (or one we have no use for).
    case ignored
}

struct PortAnswer: Hashable, Sendable {
    var host: Int
    var item: Int
    var tryNumber: Int
    var state: PortState
    var reason: Reason
    var ttl: UInt8
    /// An ICMP error: the kind of answer targets rate-limit.
    var isICMPError: Bool
}

struct HostAnswer: Hashable, Sendable {
    var host: Int
    /// Which of the sweep's probes it answers (an index in `RawJob.discoveryProbes`), so its round
    /// trip is timed from that probe's send.
    var item = 0
    var tryNumber: Int
    var reason: Reason
    var ttl: UInt8
}
