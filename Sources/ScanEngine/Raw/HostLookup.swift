/// Target address -> host index, for the reply classifier, without a dictionary: a /16's
/// 65,536-entry `[UInt32: Int]` held 1.5 MB for the whole scan. Addresses that are one ascending
/// run (a CIDR block, a range: the common case) are found by subtraction and hold nothing; any
/// other list by binary search over its indices sorted by address (4 bytes a host). The addresses
/// themselves are the job's own array, shared, not copied. A repeated address maps to its first
/// index, as the dictionary kept it.
struct HostLookup<Address: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    private let addresses: [Address]
    /// What index 0 of `addresses` is in the job's index space (IPv6 hosts come after the IPv4 ones).
    private let offset: Int
    /// Empty when `addresses` is one ascending run.
    private let sorted: [Int32]

    init(_ addresses: [Address], offset: Int = 0) {
        self.addresses = addresses
        self.offset = offset
        if Self.isRun(addresses) {
            sorted = []
        } else {
            // Ties by index, so the lower bound of an address is its first index.
            sorted = addresses.indices.map(Int32.init).sorted { a, b in
                addresses[Int(a)] != addresses[Int(b)] ? addresses[Int(a)] < addresses[Int(b)] : a < b
            }
        }
    }

    private static func isRun(_ addresses: [Address]) -> Bool {
        guard let first = addresses.first else { return true }
        for (index, address) in addresses.enumerated() where address != first &+ Address(truncatingIfNeeded: index) {
            return false
        }
        // No wrap past the top of the address space: then it is not ascending.
        return addresses.last! >= first
    }

    subscript(address: Address) -> Int? {
        guard let first = addresses.first else { return nil }
        if sorted.isEmpty {
            guard address >= first, address <= addresses[addresses.count - 1] else { return nil }
            return offset + Int(address - first)
        }
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if addresses[Int(sorted[middle])] < address { low = middle + 1 } else { high = middle }
        }
        guard low < sorted.count, addresses[Int(sorted[low])] == address else { return nil }
        return offset + Int(sorted[low])
    }
}
