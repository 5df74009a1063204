/// Host addresses numbered densely in order of first sight, so per-host records are arrays indexed
/// by number rather than dictionaries keyed by `IPAddress` (32 bytes a key, 16-byte aligned): a /16
/// costs about 12 bytes a host here (8 in the table, 4 in `values`; a bit for the family).
struct HostIndex: Sendable {
    /// IPv4 numbers, found by the address `values` holds for them.
    private var v4 = IPv4NumberTable()
    private var v6: [UInt128: Int32] = [:]
    /// By number: the IPv4 address, or the position in `v6Addresses`.
    private var values: [UInt32] = []
    /// By number, a bit each: set for an IPv6 address.
    private var isV6Bits: [UInt64] = []
    private var v6Addresses: [UInt128] = []

    private struct Entry {
        var value: UInt32
        var isV6: Bool
    }

    var count: Int { values.count }

    private var entries: Entries { Entries(values: values, isV6Bits: isV6Bits) }

    /// The numbers' entries, read from the two arrays.
    private struct Entries {
        let values: [UInt32]
        let isV6Bits: [UInt64]
        subscript(_ number: Int) -> Entry {
            Entry(value: values[number], isV6: isV6Bits[number >> 6] & (1 << UInt64(number & 63)) != 0)
        }
    }

    func number(of address: IPAddress) -> Int32? {
        switch address {
        case .v4(let a): v4.number(of: a.value) { [values] in values[Int($0)] }
        case .v6(let a): v6[a.value]
        }
    }

    /// Room for `count` addresses in all (`ipv4`: of them, the IPv4 ones), made at once.
    mutating func reserve(_ count: Int, ipv4: Int) {
        values.reserveCapacity(count)
        isV6Bits.reserveCapacity((count + 63) / 64)
        let addresses = values
        v4.reserve(ipv4) { addresses[Int($0)] }
    }

    /// The address's number, given it one if it had none.
    mutating func insert(_ address: IPAddress) -> Int32 {
        if let known = number(of: address) { return known }
        let number = Int32(values.count)
        if values.count & 63 == 0 { isV6Bits.append(0) }
        switch address {
        case .v4(let a):
            values.append(a.value)
            let addresses = self.values
            v4.insert(number, for: a.value) { addresses[Int($0)] }
        case .v6(let a):
            v6[a.value] = number
            values.append(UInt32(v6Addresses.count))
            isV6Bits[Int(number) >> 6] |= 1 << UInt64(Int(number) & 63)
            v6Addresses.append(a.value)
        }
        return number
    }

    func address(_ number: Int32) -> IPAddress {
        let entry = Entries(values: values, isV6Bits: isV6Bits)[Int(number)]
        return entry.isV6 ? .v6(IPv6Address(v6Addresses[Int(entry.value)])) : .v4(IPv4Address(entry.value))
    }

    /// Every number, in the addresses' numeric order (IPv4 first).
    func numbersInAddressOrder() -> [Int32] {
        let entries = entries
        var numbers = (0..<Int32(values.count)).map { $0 }
        // Only IPv4 (a sweep of a /16): each number's address is its value, compared as it is.
        if v6Addresses.isEmpty {
            let values = values
            numbers.sort { values[Int($0)] < values[Int($1)] }
            return numbers
        }
        numbers.sort { a, b in
            let (x, y) = (entries[Int(a)], entries[Int(b)])
            if x.isV6 != y.isV6 { return !x.isV6 }
            return x.isV6 ? v6Addresses[Int(x.value)] < v6Addresses[Int(y.value)] : x.value < y.value
        }
        return numbers
    }
}
