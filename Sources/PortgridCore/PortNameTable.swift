/// One protocol's service names, compact: the ports in order, and beside each the end of its name
/// in one buffer of UTF-8 bytes (a name starts where the one before it ends). nmap's 27,000 names
/// take about 400 KB so; as a dictionary of Strings they held 1.5 MB of every run's heap.
struct PortNameTable: Sendable, Equatable {
    private var ports: [UInt16] = []
    private var ends: [UInt32] = []
    private var bytes: [UInt8] = []

    init() {}

    init(_ names: [UInt16: String]) {
        var builder = Builder()
        for (port, name) in names.sorted(by: { $0.key < $1.key }) { builder.append(port, Array(name.utf8)[...]) }
        self = builder.table
    }

    var count: Int { ports.count }

    func name(_ port: UInt16) -> String? {
        guard let index = index(of: port) else { return nil }
        return String(decoding: name(at: index), as: UTF8.self)
    }

    /// Every port of both, with `winner`'s name where both have one: one walk over the two orders.
    static func union(_ winner: PortNameTable, over loser: PortNameTable) -> PortNameTable {
        var builder = Builder()
        builder.reserve(entries: winner.count + loser.count, bytes: winner.bytes.count + loser.bytes.count)
        var first = 0, second = 0
        while first < winner.count || second < loser.count {
            if second == loser.count || (first < winner.count && winner.ports[first] <= loser.ports[second]) {
                if second < loser.count && winner.ports[first] == loser.ports[second] { second += 1 }
                builder.append(winner.ports[first], winner.name(at: first))
                first += 1
            } else {
                builder.append(loser.ports[second], loser.name(at: second))
                second += 1
            }
        }
        return builder.table
    }

    /// Names in any port order (a services file's), each port once: sorted, then copied in order.
    static func sorting(_ entries: [(port: UInt16, name: Range<Int>)], in source: UnsafeRawBufferPointer) -> PortNameTable {
        var builder = Builder()
        builder.reserve(entries: entries.count, bytes: entries.reduce(0) { $0 + $1.name.count })
        for entry in entries.sorted(by: { $0.port < $1.port }) {
            builder.append(entry.port, UnsafeRawBufferPointer(rebasing: source[entry.name]))
        }
        return builder.table
    }

    private func name(at index: Int) -> ArraySlice<UInt8> {
        bytes[Int(index == 0 ? 0 : ends[index - 1])..<Int(ends[index])]
    }

    private func index(of port: UInt16) -> Int? {
        var low = 0, high = ports.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if ports[middle] == port { return middle }
            if ports[middle] < port { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    /// Appends in port order.
    private struct Builder {
        var table = PortNameTable()

        mutating func reserve(entries: Int, bytes: Int) {
            table.ports.reserveCapacity(entries)
            table.ends.reserveCapacity(entries)
            table.bytes.reserveCapacity(bytes)
        }

        mutating func append(_ port: UInt16, _ name: some Collection<UInt8>) {
            table.ports.append(port)
            table.bytes.append(contentsOf: name)
            table.ends.append(UInt32(table.bytes.count))
        }
    }
}
