import Testing
@testable import PortgridCore

@Suite struct HostIndexTests {
    @Test("a /16 numbered in a scattered order finds every address's number and every number's address")
    func aBlockInScatteredOrderRoundTrips() throws {
        var index = HostIndex()
        let base = try #require(IPv4Address("198.19.0.0")).value
        // An odd stride visits every offset of the block once, out of order (as replies come).
        let offsets = (0 ..< UInt32(65_536)).map { $0 &* 40_503 & 0xFFFF }
        for (expected, offset) in offsets.enumerated() {
            #expect(index.insert(.v4(IPv4Address(base + offset))) == Int32(expected))
        }
        #expect(index.count == 65_536)
        for (expected, offset) in offsets.enumerated() where expected % 97 == 0 {
            #expect(index.number(of: .v4(IPv4Address(base + offset))) == Int32(expected))
            #expect(index.address(Int32(expected)) == .v4(IPv4Address(base + offset)))
        }
        #expect(index.number(of: .v4(IPv4Address(base &- 1))) == nil)
        #expect(index.number(of: .v4(IPv4Address(base + 65_536))) == nil)
        #expect(index.numbersInAddressOrder().map { index.address($0) }.first == .v4(IPv4Address(base)))
    }

    @Test("an address inserted again keeps its first number, and IPv6 numbers sort after IPv4 ones")
    func repeatsKeepTheirNumberAndFamiliesSortApart() throws {
        var index = HostIndex()
        let v6 = IPAddress.v6(try #require(IPv6Address("2001:2::1")))
        let a = IPAddress.v4(try #require(IPv4Address("198.18.0.9")))
        let b = IPAddress.v4(try #require(IPv4Address("198.18.0.2")))
        #expect(index.insert(v6) == 0)
        #expect(index.insert(a) == 1)
        #expect(index.insert(b) == 2)
        #expect(index.insert(a) == 1 && index.insert(v6) == 0)
        #expect(index.count == 3)
        #expect(index.address(0) == v6 && index.address(1) == a && index.address(2) == b)
        #expect(index.numbersInAddressOrder() == [2, 1, 0])
    }

    @Test("the number table grows past many resizes without losing a number, 0.0.0.0 included")
    func theTableKeepsEveryNumberAcrossGrowth() {
        var addresses: [UInt32] = []
        var table = IPv4NumberTable()
        // Keys that share their low bits: only the hash spreads them.
        for i in 0 ..< UInt32(5_000) {
            let key = i << 16
            addresses.append(key)
            let known = addresses
            table.insert(Int32(i), for: key) { known[Int($0)] }
        }
        #expect(table.count == 5_000)
        for i in stride(from: 0, to: 5_000, by: 7) {
            #expect(table.number(of: UInt32(i) << 16) { addresses[Int($0)] } == Int32(i))
        }
        #expect(table.number(of: 1) { addresses[Int($0)] } == nil)
        #expect(IPv4NumberTable().number(of: 0) { _ in 0 } == nil)
    }
}
