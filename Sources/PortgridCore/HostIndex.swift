/// Host addresses numbered densely in order of first sight, so per-host records are arrays indexed
/// by number rather than dictionaries keyed by `IPAddress` (32 bytes a key, 16-byte aligned): a /16
/// costs about 16 bytes a host here.
struct HostIndex: Sendable {
    private var v4: [UInt32: Int32] = [:]
    private var v6: [UInt128: Int32] = [:]
    /// By number: the IPv4 address, or the position in `v6Addresses`.
    private var entries: [Entry] = []
    private var v6Addresses: [UInt128] = []

    private struct Entry {
        var value: UInt32
        var isV6: Bool
    }

    var count: Int { entries.count }

    func number(of address: IPAddress) -> Int32? {
        switch address {
        case .v4(let a): v4[a.value]
        case .v6(let a): v6[a.value]
        }
    }

    /// The address's number, given it one if it had none.
    mutating func insert(_ address: IPAddress) -> Int32 {
        if let known = number(of: address) { return known }
        let number = Int32(entries.count)
        switch address {
        case .v4(let a):
            v4[a.value] = number
            entries.append(Entry(value: a.value, isV6: false))
        case .v6(let a):
            v6[a.value] = number
            entries.append(Entry(value: UInt32(v6Addresses.count), isV6: true))
            v6Addresses.append(a.value)
        }
        return number
    }

    func address(_ number: Int32) -> IPAddress {
        let entry = entries[Int(number)]
        return entry.isV6 ? .v6(IPv6Address(v6Addresses[Int(entry.value)])) : .v4(IPv4Address(entry.value))
    }

    /// Every number, in the addresses' numeric order (IPv4 first).
    func numbersInAddressOrder() -> [Int32] {
        var numbers = (0..<Int32(entries.count)).map { $0 }
        numbers.sort { a, b in
            let (x, y) = (entries[Int(a)], entries[Int(b)])
            if x.isV6 != y.isV6 { return !x.isV6 }
            return x.isV6 ? v6Addresses[Int(x.value)] < v6Addresses[Int(y.value)] : x.value < y.value
        }
        return numbers
    }
}
