import PortgridCore

/// An address's position in a plan's host list, without a set of the hosts: a plan whose hosts
/// are one ascending IPv4 run (a CIDR block, a range: the common case) is answered by subtraction
/// and holds nothing; any other list by a dictionary (a repeated address keeps its first position).
struct PlanPositions: Sendable {
    private let first: UInt32?
    private let count: Int
    private let table: [IPAddress: Int32]

    init(_ hosts: [IPAddress]) {
        count = hosts.count
        if let start = Self.run(hosts) {
            first = start
            table = [:]
        } else {
            first = nil
            var table: [IPAddress: Int32] = [:]
            table.reserveCapacity(hosts.count)
            for (position, host) in hosts.enumerated() where table[host] == nil { table[host] = Int32(position) }
            self.table = table
        }
    }

    /// The first address when `hosts` is one ascending IPv4 run with no wrap past the top.
    private static func run(_ hosts: [IPAddress]) -> UInt32? {
        guard case .v4(let start)? = hosts.first, UInt64(start.value) + UInt64(hosts.count) <= 1 << 32 else { return nil }
        for (offset, host) in hosts.enumerated() {
            guard case .v4(let address) = host, address.value == start.value &+ UInt32(truncatingIfNeeded: offset) else {
                return nil
            }
        }
        return start.value
    }

    subscript(address: IPAddress) -> Int? {
        guard let first else { return table[address].map(Int.init) }
        guard case .v4(let v4) = address, v4.value >= first, Int(v4.value - first) < count else { return nil }
        return Int(v4.value - first)
    }
}
