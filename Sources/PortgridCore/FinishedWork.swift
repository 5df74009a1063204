/// Work a scan does not probe: what an earlier run of the same scan already decided (`--resume`) —
/// (host, port) pairs with a final state, and for a ping sweep the hosts with a status — and, in a
/// sharded port scan, the hosts its sweep found down. One technique per scan, so a port number
/// alone names the pair's protocol.
public struct FinishedWork: Hashable, Sendable {
    public private(set) var ports: [IPAddress: Set<UInt16>]
    /// A ping sweep's hosts with a status.
    public private(set) var hosts: Set<IPAddress>
    /// A port scan's hosts none of whose ports are probed.
    public private(set) var skipped: Set<IPAddress> = []

    public static let none = FinishedWork()

    public init(ports: [IPAddress: Set<UInt16>] = [:], hosts: Set<IPAddress> = []) {
        self.ports = ports
        self.hosts = hosts
    }

    public var isEmpty: Bool { ports.isEmpty && hosts.isEmpty && skipped.isEmpty }

    public var portCount: Int { ports.values.reduce(0) { $0 + $1.count } }

    public func contains(_ host: IPAddress, port: UInt16) -> Bool {
        skipped.contains(host) || (ports[host]?.contains(port) ?? false)
    }

    public func skipsAll(_ host: IPAddress) -> Bool { skipped.contains(host) }

    public mutating func skip(_ hosts: some Sequence<IPAddress>) { skipped.formUnion(hosts) }

    public mutating func insert(_ host: IPAddress, port: UInt16) { ports[host, default: []].insert(port) }

    public mutating func insert(_ host: IPAddress) { hosts.insert(host) }
}
