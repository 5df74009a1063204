import PortgridCore

// The words `ConnectScheduler` and its loop speak: what the loop reports, what the scheduler decides.

/// How a connect ended: it connected (to the target, or to ourselves: see `ConnectEngine`), or it
/// failed with an errno and, when one was queued, the ICMP report behind it.
enum ConnectResult: Hashable, Sendable {
    case connected(selfConnect: Bool)
    case failed(Errno, icmp: ICMPReport?)
}

/// What becomes of a probe's socket once the scheduler is done with the probe.
enum SocketFate: Hashable, Sendable {
    /// Connect it again for another probe. `mayHoldReports`: a late ICMP report for the old
    /// connect may still arrive, so the error queue is emptied before reuse.
    case reuse(mayHoldReports: Bool)
    /// Close it (and, for a connected socket, with a reset).
    case close
}

/// What the scheduler makes of a connect the loop has just started.
enum LaunchStep: Hashable, Sendable {
    /// In flight: the socket must be watched until it answers or its deadline passes.
    case inFlight
    /// Decided at once; the socket goes as `SocketFate` says.
    case finished(SocketFate)
    /// This machine is short of ports, descriptors or buffers: close the socket and end the burst.
    /// The probe waits for a back-off without counting as a try.
    case shortage
}

/// What the scheduler has for the outside world since it was last emptied: results, sent-probe
/// counts, host-timeout notices, and sockets whose probes were given up. Handed over in one go
/// (one lock per batch rather than one per probe).
struct ConnectOutput: Sendable {
    var results: [PortResult] = []
    var sent = 0
    /// Ports done without a state (a host given up on).
    var completed = 0
    var notices: [Notice] = []
    /// Sockets of probes in flight to a host given up on: to be closed.
    var abandoned: [SocketDescriptor] = []

    var isEmpty: Bool { results.isEmpty && sent == 0 && completed == 0 && notices.isEmpty && abandoned.isEmpty }

    mutating func removeAll() {
        results.removeAll(keepingCapacity: true)
        sent = 0
        completed = 0
        notices.removeAll()
        abandoned.removeAll()
    }
}
