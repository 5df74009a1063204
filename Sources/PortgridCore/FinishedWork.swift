/// What an earlier run of the same scan already decided, so a resumed scan (`--resume`) probes only
/// the rest: (host, port) pairs with a final state, and for a ping sweep the hosts with a status.
/// One technique per scan, so a port number alone names the pair's protocol.
public struct FinishedWork: Hashable, Sendable {
    public private(set) var ports: [IPAddress: Set<UInt16>]
    public private(set) var hosts: Set<IPAddress>

    public static let none = FinishedWork()

    public init(ports: [IPAddress: Set<UInt16>] = [:], hosts: Set<IPAddress> = []) {
        self.ports = ports
        self.hosts = hosts
    }

    public var isEmpty: Bool { ports.isEmpty && hosts.isEmpty }

    public var portCount: Int { ports.values.reduce(0) { $0 + $1.count } }

    public func contains(_ host: IPAddress, port: UInt16) -> Bool { ports[host]?.contains(port) ?? false }

    public mutating func insert(_ host: IPAddress, port: UInt16) { ports[host, default: []].insert(port) }

    public mutating func insert(_ host: IPAddress) { hosts.insert(host) }
}
