import PortgridCore
import Testing
@testable import ScanEngine

/// The Ethernet send path's decisions, on a made-up kernel: which probes leave as frames, to which
/// MAC, and which stay IP packets (`EthernetNextHops`), with the rtnetlink request and reply read
/// and written byte by byte (`RouteReply`).
@Suite("the Ethernet send path: next hops, routes and neighbours")
struct EthernetSendPathTests {
    static let gatewayMAC = LinkAddress("3e:38:d5:94:db:d7")!
    static let targetMAC = LinkAddress("02:fc:00:00:00:05")!
    static let ethernet: CInt = 7, loopback: CInt = 1
    static func address(_ text: String) -> UInt32 { IPv4Address(text)!.value }

    /// A kernel with a link 198.18.0.0/24 on interface 7, 198.19.0.0/16 via 198.18.0.2, the
    /// scanner's own 198.18.0.1 (a local route) and 127.0.0.0/8 on lo; counts what it is asked.
    final class Kernel: @unchecked Sendable {
        var neighbours: [UInt64: LinkAddress] = [
            EthernetNextHops.key(address: address("198.18.0.2"), interface: ethernet): gatewayMAC,
        ]
        var routeQueries = 0, tableReads = 0
        var now = ContinuousClock.now

        func route(_ destination: UInt32) -> RouteReply? {
            routeQueries += 1
            switch destination >> 8 {
            case address("198.18.0.0") >> 8:
                if destination == address("198.18.0.1") { return RouteReply(isUnicast: false, interfaceIndex: loopback) }
                return RouteReply(isUnicast: true, interfaceIndex: ethernet)
            case address("127.0.0.0") >> 8: return RouteReply(isUnicast: false, interfaceIndex: loopback)
            default:
                guard destination >> 16 == address("198.19.0.0") >> 16 else { return nil }
                return RouteReply(isUnicast: true, interfaceIndex: ethernet, gateway: address("198.18.0.2"))
            }
        }

        var source: EthernetNextHops.Source {
            EthernetNextHops.Source(route: { self.route($0) },
                                    neighbours: { self.tableReads += 1; return self.neighbours },
                                    isEthernet: { $0 == ethernet }, now: { self.now })
        }
    }

    @Test("a probe through a gateway is a frame to the gateway's MAC, one route lookup per target however many probes")
    func throughAGateway() {
        let kernel = Kernel()
        var hops = EthernetNextHops(source: kernel.source)
        for _ in 0..<1000 {
            #expect(hops.hop(for: Self.address("198.19.4.5")) == .init(interfaceIndex: Self.ethernet, mac: Self.gatewayMAC))
        }
        #expect(hops.hop(for: Self.address("198.19.200.1"))?.mac == Self.gatewayMAC)
        #expect(kernel.routeQueries == 2)
    }

    @Test("a target on the link gets its own MAC once the kernel knows it; until then, and between table reads, the IP path")
    func onTheLink() {
        let kernel = Kernel()
        var hops = EthernetNextHops(source: kernel.source)
        let target = Self.address("198.18.0.5")
        #expect(hops.hop(for: target) == nil)
        kernel.neighbours[EthernetNextHops.key(address: target, interface: Self.ethernet)] = Self.targetMAC
        #expect(hops.hop(for: target) == nil, "the table is not read again before the interval is over")
        #expect(kernel.tableReads == 1)
        kernel.now += EthernetNextHops.rereadInterval
        #expect(hops.hop(for: target) == .init(interfaceIndex: Self.ethernet, mac: Self.targetMAC))
        #expect(kernel.tableReads == 2)
    }

    @Test("local, loopback, unroutable and non-Ethernet routes stay IP packets")
    func ipPathTargets() {
        let kernel = Kernel()
        var hops = EthernetNextHops(source: kernel.source)
        #expect(hops.hop(for: Self.address("198.18.0.1")) == nil)
        #expect(hops.hop(for: Self.address("127.0.0.1")) == nil)
        #expect(hops.hop(for: Self.address("203.0.113.9")) == nil)
        #expect(hops.hop(for: Self.address("203.0.113.9")) == nil)
        #expect(kernel.routeQueries == 3, "a missing route is asked for once too")
        var onLoopback = Kernel().source
        onLoopback.isEthernet = { _ in false }
        var loopbackHops = EthernetNextHops(source: onLoopback)
        #expect(loopbackHops.hop(for: Self.address("198.19.4.5")) == nil)
    }

    @Test("past the route limit new targets go as IP packets without a lookup (a /16 sweep asks 256 routes, not 65,536)")
    func routeLimit() {
        let kernel = Kernel()
        var hops = EthernetNextHops(source: kernel.source)
        for index in 0..<UInt32(1000) { _ = hops.hop(for: Self.address("198.19.0.0") + index) }
        #expect(kernel.routeQueries == EthernetNextHops.routeLimit)
        #expect(hops.hop(for: Self.address("198.19.0.0"))?.mac == Self.gatewayMAC)
        #expect(hops.hop(for: Self.address("198.19.3.200")) == nil)
    }

    @Test("the RTM_GETROUTE request names the destination (and -e's interface); the reply's type, interface and gateway are read")
    func netlinkBytes() {
        let request = RouteReply.request(destination: Self.address("198.19.4.5"), interfaceIndex: 7, sequence: 9)
        #expect(request.count == 44)
        #expect(Array(request[16..<18]) == [2, 32], "AF_INET, a /32 destination")
        #expect(Array(request[32..<36]) == [198, 19, 4, 5])
        // A reply: nlmsghdr, rtmsg (unicast), RTA_DST, RTA_OIF 7, RTA_GATEWAY 198.18.0.2.
        var reply: [UInt8] = []
        func put16(_ value: UInt16) { withUnsafeBytes(of: value) { reply += $0 } }
        func put32(_ value: UInt32) { withUnsafeBytes(of: value) { reply += $0 } }
        put32(16 + 12 + 8 + 8 + 8); put16(24); put16(0); put32(9); put32(0)
        reply += [2, 32, 0, 0, 254, 2, 0, 1]; put32(0)
        put16(8); put16(1); reply += [198, 19, 4, 5]
        put16(8); put16(4); put32(7)
        put16(8); put16(5); reply += [198, 18, 0, 2]
        #expect(RouteReply.parse(reply[...], sequence: 9)
                == .route(RouteReply(isUnicast: true, interfaceIndex: 7, gateway: Self.address("198.18.0.2"))))
        #expect(RouteReply.parse(reply[...], sequence: 10) == .other, "another request's answer")
        reply[4] = 2  // NLMSG_ERROR: no route
        #expect(RouteReply.parse(reply[...], sequence: 9) == .failed)
        reply[4] = 24
        reply[16 + 7] = 2  // RTN_LOCAL
        guard case .route(let local) = RouteReply.parse(reply[...], sequence: 9) else {
            Issue.record("no route read")
            return
        }
        #expect(!local.isUnicast)
    }

    @Test("MAC addresses: parsed from the table's text, all zeros and group addresses are no next hop")
    func linkAddresses() {
        #expect(Self.gatewayMAC.description == "3e:38:d5:94:db:d7")
        #expect(LinkAddress("3E:38:D5:94:DB:D7") == Self.gatewayMAC)
        #expect(LinkAddress("3e:38:d5:94:db") == nil && LinkAddress("zz:38:d5:94:db:d7") == nil)
        #expect(Self.gatewayMAC.isUsableUnicast)
        #expect(!LinkAddress("00:00:00:00:00:00")!.isUsableUnicast)
        #expect(!LinkAddress("ff:ff:ff:ff:ff:ff")!.isUsableUnicast && !LinkAddress("01:00:5e:00:00:01")!.isUsableUnicast)
        let table = NeighborTableTests.table + "198.18.0.9       0x1         0x2         02:fc:00:00:00:09     *        gone0\n"
        let entries = NeighborTable.linkAddresses(table) { $0 == "pgs0" ? 7 : nil }
        #expect(entries == [EthernetNextHops.key(address: Self.address("198.18.0.2"), interface: 7): Self.gatewayMAC,
                            EthernetNextHops.key(address: Self.address("198.18.0.7"), interface: 7): Self.targetMAC])
    }
}
