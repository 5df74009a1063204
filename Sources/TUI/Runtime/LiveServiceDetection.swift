import PortgridCore

/// `-sV` as the TUI sees it: the command owns the probe database and the prober pool and lends them
/// to the session. The reducer decides which open port is probed and when; the runtime hands the
/// ports over and feeds each identity back into the same stream as scan events.
public protocol LiveServiceDetection: AnyObject, Sendable {
    /// Where identities go as they are learned; called once, before the first port is handed over.
    func report(to found: @escaping @Sendable (ServiceKey, ServiceIdentity) -> Void)
    /// Probes an open port (each once per start); `rtt` is the scan's round trip to its host.
    func probe(_ key: ServiceKey, rtt: Duration?)
    /// No new probes: queued ports are dropped and ports in progress stop at their next probe,
    /// unreported. A later `probe` starts afresh.
    func stop()
}
