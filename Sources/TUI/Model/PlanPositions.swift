import PortgridCore

/// An address's position in a plan's host list, without a set of the hosts: a plan whose hosts
/// are one ascending IPv4 run (a CIDR block, a range: the common case) is answered by subtraction
/// and holds nothing; any other list by a dictionary (a repeated address keeps its first position).
struct PlanPositions: Sendable {
    private let first: UInt32?
    private let count: Int
    private let table: [IPAddress: Int32]

    init(_ hosts: HostList) {
        count = hosts.count
        first = hosts.ipv4RunStart
        var table: [IPAddress: Int32] = [:]
        if first == nil {
            table.reserveCapacity(hosts.count)
            for (position, host) in hosts.enumerated() where table[host] == nil { table[host] = Int32(position) }
        }
        self.table = table
    }

    subscript(address: IPAddress) -> Int? {
        guard let first else { return table[address].map(Int.init) }
        guard case .v4(let v4) = address, v4.value >= first, Int(v4.value - first) < count else { return nil }
        return Int(v4.value - first)
    }
}
