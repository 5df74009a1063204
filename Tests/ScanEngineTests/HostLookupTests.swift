import Testing
@testable import ScanEngine

/// The reply classifier's address -> host index: what the dictionary it replaced answered, for runs
/// (found by subtraction) and for any other list (found by binary search).
struct HostLookupTests {
    /// The dictionary's answer: the first index of each address, after `offset`.
    static func expected<A: Hashable>(_ addresses: [A], offset: Int = 0) -> [A: Int] {
        var table: [A: Int] = [:]
        for (index, address) in addresses.enumerated() where table[address] == nil { table[address] = offset + index }
        return table
    }

    @Test("an ascending run maps each address to its index and nothing outside it")
    func ascendingRun() {
        let base: UInt32 = 0xC613_0000
        let hosts = (0..<UInt32(4096)).map { base + $0 }
        let lookup = HostLookup(hosts)
        for (index, host) in hosts.enumerated() { #expect(lookup[host] == index) }
        #expect(lookup[base - 1] == nil)
        #expect(lookup[base + 4096] == nil)
        #expect(lookup[0] == nil)
        #expect(lookup[.max] == nil)
    }

    @Test("a run ending at the top of the address space is still a run, and one that wraps is not")
    func topOfTheSpace() {
        let top: [UInt32] = [.max - 2, .max - 1, .max]
        #expect(HostLookup(top)[.max] == 2)
        #expect(HostLookup(top)[0] == nil)
        let wrapping: [UInt32] = [.max - 1, .max, 0, 1]
        let lookup = HostLookup(wrapping)
        for (address, index) in Self.expected(wrapping) { #expect(lookup[address] == index) }
        #expect(lookup[2] == nil)
    }

    @Test("any other list answers as the dictionary did: shuffled, with gaps, repeated addresses at their first index")
    func otherLists() {
        let lists: [[UInt32]] = [
            [10, 3, 7, 3, 99, 0, 10],
            [5, 4, 3, 2, 1],
            [1, 2, 4, 8, 16],
            (0..<UInt32(500)).map { ($0 &* 2_654_435_761) % 1000 },
        ]
        for list in lists {
            let lookup = HostLookup(list, offset: 3)
            let expected = Self.expected(list, offset: 3)
            for address in UInt32(0)...1001 { #expect(lookup[address] == expected[address], "\(list) \(address)") }
        }
    }

    @Test("IPv6 hosts count after the IPv4 ones, and an empty list finds nothing")
    func ipv6AndEmpty() {
        let hosts: [UInt128] = [1 << 100, (1 << 100) + 1, (1 << 100) + 2]
        let lookup = HostLookup(hosts, offset: 7)
        #expect(lookup[(1 << 100) + 1] == 8)
        #expect(lookup[(1 << 100) + 3] == nil)
        #expect(HostLookup([UInt32]())[0] == nil)
    }
}
