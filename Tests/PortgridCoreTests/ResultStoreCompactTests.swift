import Testing
@testable import PortgridCore

/// The store's compact layout (numbered hosts, a grid of 8-byte cells per technique) gives back
/// exactly what was recorded.
@Suite struct ResultStoreCompactTests {
    let host = IPAddress("198.18.0.2")!

    @Test("an address, IPv4 or IPv6, takes 24 bytes in an array, and an IPv6 address keeps every one of its 128 bits")
    func addressesAreCompact() throws {
        #expect(MemoryLayout<IPAddress>.stride == 24)
        let text = "2001:2:0:1:8000::fffe"
        let address = try #require(IPv6Address(text))
        #expect(address.description == text)
        #expect(address.value >> 64 == 0x2001_0002_0000_0001 && address.value & UInt128(UInt64.max) == 0x8000_0000_0000_fffe)
        var moved = address
        moved.value += 1
        #expect(moved > address && moved.description == "2001:2:0:1:8000::ffff")
        #expect(IPv6Address(address.value) == address && IPv6Address(address.value).hashValue == address.hashValue)
    }

    @Test("hosts found down give back their addresses in the order found, IPv4 alone (kept as 4 bytes each) or mixed with IPv6, each as a down host with the batch's reason")
    func downHostsRoundTrip() {
        let ipv4 = [IPAddress("198.18.3.7")!, IPAddress("198.18.0.1")!, IPAddress("0.0.0.0")!, IPAddress("255.255.255.255")!]
        let mixed = [IPAddress("198.18.3.7")!, IPAddress("2001:2::9")!, IPAddress("198.18.0.1")!]
        for addresses in [ipv4, mixed, []] {
            let down = DownHosts(addresses, reason: .noResponse)
            #expect(down.addresses == addresses && down.count == addresses.count)
            #expect(Array(down.hosts) == addresses.map { HostResult(address: $0, status: .down, reason: .noResponse) })
        }
        #expect(DownHosts(ipv4) == DownHosts(ipv4) && DownHosts(ipv4) != DownHosts(Array(ipv4.reversed())))
    }

    @Test("a cell gives back the state, reason, reply TTL and round trip to the nanosecond")
    func cellRoundTrip() {
        for state in PortState.allCases {
            for reason in Reason.allCases {
                for ttl: UInt8 in [0, 64, 255] {
                    let cell = PortCell(state: state, reason: reason, rtt: .nanoseconds(1_234_567), replyTTL: ttl)
                    #expect(cell.state == state && cell.reason == reason)
                    #expect(cell.rtt == .nanoseconds(1_234_567) && cell.rttNanoseconds == 1_234_567)
                    #expect(cell.replyTTL == ttl)
                }
            }
        }
        let bare = PortCell(state: .filtered, reason: .noResponse, rtt: nil, replyTTL: nil)
        #expect(bare.rtt == nil && bare.replyTTL == nil && !bare.isEmpty)
        let zero = PortCell(state: .open, reason: .synAck, rtt: .zero, replyTTL: nil)
        #expect(zero.rtt == .zero, "a zero round trip is a round trip, not none")
        let slow = PortCell(state: .open, reason: .synAck, rtt: .seconds(3_600), replyTTL: nil)
        #expect(slow.rtt == .seconds(3_600))
        #expect(PortCell.empty.isEmpty)
        #expect(MemoryLayout<PortCell>.stride == 8)
    }

    @Test("a host's status, reason, round trip, TTL, names and link address come back as recorded")
    func hostFactsRoundTrip() {
        var store = ResultStore()
        let full = HostResult(address: host, hostname: "typed", status: .up, reason: .echoReply,
                              rtt: .nanoseconds(987_654), replyTTL: 61, reverseName: "ptr.test", mac: "02:00:00:00:00:01")
        store.record(full)
        #expect(store.host(host) == full)
        #expect(store.macAddresses == ["02:00:00:00:00:01"])
        let other = IPAddress("2001:2::5")!
        store.record(HostResult(address: other, status: .down, reason: .noResponse))
        #expect(store.host(other) == HostResult(address: other, status: .down, reason: .noResponse))
        #expect(store.hostCount == 2 && store.resultCount == 0 && !store.isEmpty)
        #expect(ResultStore().isEmpty)
    }

    @Test("a result recorded twice for one (host, port, technique) is counted once and the later one stands")
    func laterResultReplaces() {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .syn, hosts: [host], ports: PortSet([1...100]), timing: .normal)))
        store.record(PortResult(host: host, proto: .tcp, port: 7, state: .filtered, reason: .noResponse, technique: .syn))
        store.record(PortResult(host: host, proto: .tcp, port: 7, state: .open, reason: .synAck, technique: .syn,
                                rtt: .microseconds(90), replyTTL: 63))
        #expect(store.resultCount == 1)
        let result = store.results(for: host, technique: .syn)
        #expect(result == [PortResult(host: host, proto: .tcp, port: 7, state: .open, reason: .synAck, technique: .syn,
                                      rtt: .microseconds(90), replyTTL: 63)])
    }

    @Test("results for ports outside the plan, and a second plan of other ports, keep every earlier result")
    func axisWidens() {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host], ports: PortSet([20...30]), timing: .normal)))
        let other = IPAddress("198.18.0.9")!
        var expected: [PortResult] = []
        for (address, port) in [(host, UInt16(22)), (other, 25), (host, 8080), (other, 1)] {
            let result = PortResult(host: address, proto: .tcp, port: port, state: .closed, reason: .connRefused,
                                    technique: .connect, rtt: .microseconds(Int64(port)))
            store.record(result)
            expected.append(result)
        }
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host], ports: PortSet([40000...40010]), timing: .normal)))
        let late = PortResult(host: host, proto: .tcp, port: 40_005, state: .open, reason: .synAck, technique: .connect)
        store.record(late)
        expected.append(late)
        #expect(store.allResults == expected.sorted { ($0.host, $0.port) < ($1.host, $1.port) })
        #expect(store.resultCount == 5)
        #expect(store.addresses == [host, other])
    }

    @Test("a one-port sweep of many hosts keeps each host's result and status apart")
    func manyHosts() {
        var store = ResultStore()
        let hosts = (0..<4_096).map { IPAddress.v4(IPv4Address(0xC612_0000 + UInt32($0))) }
        store.apply(.started(ScanPlan(technique: .syn, hosts: HostList(hosts), ports: PortSet([80...80]), timing: .normal)))
        for (index, address) in hosts.enumerated() {
            let open = index % 3 == 0
            store.record(PortResult(host: address, proto: .tcp, port: 80, state: open ? .open : .filtered,
                                    reason: open ? .synAck : .noResponse, technique: .syn))
        }
        #expect(store.resultCount == hosts.count)
        #expect(store.count(of: .open) == 1_366)
        #expect(store.sortedHosts.count == 1_366)
        #expect(store.results(in: .open).count == 1_366 && store.results(in: .open).first?.host == hosts[0])
        #expect(store.host(hosts[3])?.status == .up && store.host(hosts[4]) == nil)
        #expect(store.results(for: hosts[4]).map(\.state) == [.filtered])
        #expect(store.addresses == hosts)
    }

    @Test("a fresh store makes room for its first plan's hosts at once, up to a /16: a sweep of a /16 ends with room for it, not for twice it; a later plan adds none; a /15's plan gets a /16's")
    func roomForThePlansHosts() {
        var store = ResultStore()
        let block = HostList((UInt32(0xC613_0000)..<0xC614_0000).map { IPAddress.v4(IPv4Address($0)) })
        store.apply(.started(ScanPlan(technique: .ping, hosts: block, ports: PortSet(ports: []), timing: .normal)))
        #expect(store.hostRoom >= 65_536 && store.hostRoom < 70_000, "room \(store.hostRoom)")
        store.apply(.hostsDown(DownHosts(Array(block))))
        #expect(store.hostCount == 65_536)
        #expect(store.hostRoom < 70_000, "grown from empty it doubles past 65,536: room \(store.hostRoom)")
        store.apply(.started(ScanPlan(technique: .syn, hosts: block, ports: PortSet(ports: [80]), timing: .normal)))
        #expect(store.hostRoom < 70_000)
        #expect(store.host(IPAddress("198.19.255.255")!)?.status == .down)
        // A /15 announced whole, scanned and let go a /16 at a time: room for a /16.
        var whole = ResultStore()
        let fifteen = HostList((UInt32(0xC612_0000)..<0xC614_0000).map { IPAddress.v4(IPv4Address($0)) })
        whole.apply(.started(ScanPlan(technique: .syn, hosts: fifteen, ports: PortSet(ports: [80]), timing: .normal)))
        #expect(whole.hostRoom >= 65_536 && whole.hostRoom < 70_000, "room \(whole.hostRoom)")
    }

    @Test("IPv6 and IPv4 hosts are numbered apart and listed IPv4 first, each in numeric order")
    func mixedFamilies() {
        var store = ResultStore()
        let addresses = ["2001:2::9", "198.18.0.7", "2001:2::1", "198.18.0.1"].map { IPAddress($0)! }
        for address in addresses { store.record(HostResult(address: address, status: .up, reason: .echoReply, rtt: .microseconds(5))) }
        #expect(store.sortedHosts.map(\.address) == addresses.sorted())
        #expect(store.host(addresses[0])?.rtt == .microseconds(5))
    }
}
