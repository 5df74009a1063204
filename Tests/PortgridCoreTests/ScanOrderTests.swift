import Testing
@testable import PortgridCore

@Suite struct ScanOrderTests {
    @Test(arguments: [1, 2, 3, 17, 1000, 65535, 65536 * 3 + 7])
    func isAPermutation(count: Int) {
        let order = ScanOrder(count: UInt64(count), seed: 42)
        var seen = [Bool](repeating: false, count: count)
        for i in 0..<UInt64(count) {
            let v = Int(order.element(i))
            #expect(v < count)
            seen[v] = true
        }
        #expect(seen.allSatisfy { $0 })
    }

    @Test func isNotTheIdentityAndDependsOnSeed() {
        let a = ScanOrder(count: 1000, seed: 1), b = ScanOrder(count: 1000, seed: 2)
        let first = (0..<20).map { a.element(UInt64($0)) }
        #expect(first != (0..<20).map { UInt64($0) })
        #expect(first != (0..<20).map { b.element(UInt64($0)) })
    }

    @Test func shardsPartitionTheWork() {
        let order = ScanOrder(count: 1001, seed: 9)
        var all: [UInt64] = []
        for i in 1...3 { all += Array(order.indices(shard: Shard(index: i, count: 3))) }
        #expect(all.count == 1001)
        #expect(Set(all).count == 1001)
    }

    @Test func shardParsing() throws {
        #expect(try Shard.parse("2/4") == Shard(index: 2, count: 4))
        #expect(throws: SpecError.invalidShard("5/4")) { _ = try Shard.parse("5/4") }
    }
}

@Suite struct ResultStoreTests {
    let host = IPAddress("198.18.0.2")!

    @Test func keepsTechniquesApartAndSorts() {
        var store = ResultStore()
        store.apply(.results([
            PortResult(host: host, proto: .tcp, port: 80, state: .open, reason: .synAck, technique: .connect),
            PortResult(host: host, proto: .tcp, port: 22, state: .filtered, reason: .noResponse, technique: .syn),
            PortResult(host: host, proto: .tcp, port: 22, state: .open, reason: .synAck, technique: .connect),
        ]))
        #expect(store.resultCount == 3)
        #expect(store.results(for: host, technique: .connect).map(\.port) == [22, 80])
        #expect(store.results(for: host, technique: .syn).map(\.state) == [.filtered])
        #expect(store.techniques == [.connect, .syn])
        #expect(store.count(of: .open) == 2)
    }

    @Test func anyReplyMarksTheHostUpAndUpIsSticky() {
        var store = ResultStore()
        store.apply(.results([PortResult(host: host, proto: .tcp, port: 1, state: .closed, reason: .connRefused, technique: .connect)]))
        #expect(store.host(host)?.status == .up)
        store.apply(.host(HostResult(address: host, status: .down, reason: .noResponse)))
        #expect(store.host(host)?.status == .up)
    }

    @Test("a host's merge keeps up sticky and keeps a known name and round trip when a newer report lacks them")
    func hostMergeRule() {
        let known = HostResult(address: host, hostname: "target", status: .up, reason: .synAck, rtt: .milliseconds(2))
        #expect(known.merged(with: HostResult(address: host, status: .down, reason: .noResponse)) == nil)
        let newer = known.merged(with: HostResult(address: host, status: .up, reason: .echoReply))
        #expect(newer?.hostname == "target")
        #expect(newer?.rtt == .milliseconds(2))
        #expect(newer?.reason == .echoReply)
    }

    @Test func interleavedHostsAreEachMarkedUpByTheirOwnReplies() {
        var store = ResultStore()
        let other = IPAddress("198.18.0.3")!, silent = IPAddress("198.18.0.4")!
        store.apply(.results([
            PortResult(host: host, proto: .tcp, port: 1, state: .closed, reason: .connRefused, technique: .connect),
            PortResult(host: silent, proto: .tcp, port: 1, state: .filtered, reason: .noResponse, technique: .connect),
            PortResult(host: other, proto: .tcp, port: 1, state: .open, reason: .synAck, technique: .connect),
            PortResult(host: host, proto: .tcp, port: 2, state: .closed, reason: .connRefused, technique: .connect),
            PortResult(host: other, proto: .tcp, port: 2, state: .closed, reason: .connRefused, technique: .connect),
        ]))
        #expect(store.host(host)?.status == .up)
        #expect(store.host(other)?.status == .up)
        #expect(store.host(other)?.reason == .synAck)
        #expect(store.host(silent)?.status != .up)
        #expect(store.resultCount == 5)
    }

    @Test func silenceAloneDoesNotMarkUp() {
        var store = ResultStore()
        store.apply(.results([PortResult(host: host, proto: .tcp, port: 1, state: .filtered, reason: .noResponse, technique: .connect)]))
        #expect(store.host(host)?.status != .up)
    }

    @Test func progressEta() {
        let p = ScanProgress(completed: 25, total: 100, probesSent: 30, rate: 10, elapsed: .seconds(10))
        #expect(p.fraction == 0.25)
        #expect(p.eta == .seconds(30))
    }

    @Test func reasonsForUnreachableCodes() {
        #expect(Reason.unreachable(code: 13) == .adminProhibited)
        #expect(Reason.unreachable(code: 3) == .portUnreach)
        #expect(Reason.unreachable(code: 1) == .hostUnreach)
        #expect(Reason.unreachable(code: 10) == .hostProhibited)
        #expect(PortState.openFiltered.rawValue == "open|filtered")
        #expect(PortState.open.interest > PortState.openFiltered.interest)
        #expect(PortState.closed.interest > PortState.filtered.interest)
    }

    @Test func servicesFileParsing() {
        let text = """
        # comment
        ssh             22/tcp                          # SSH Remote Login Protocol
        domain          53/tcp
        domain          53/udp
        weird           notaport/tcp
        """
        let names = ServiceNames.parse(servicesFile: text)
        #expect(names.name(port: 22, proto: .tcp) == "ssh")
        #expect(names.name(port: 53, proto: .udp) == "domain")
        #expect(names.name(port: 80, proto: .tcp) == nil)
        let merged = ServiceNames.builtIn.merging(ServiceNames.parse(servicesFile: "foo 80/tcp\nbar 40000/tcp"))
        #expect(merged.name(port: 80, proto: .tcp) == "http")
        #expect(merged.name(port: 40000, proto: .tcp) == "bar")
    }
}

@Suite struct ShardTests {
    @Test("shards own disjoint positions covering the whole permutation, even with more shards than positions",
          arguments: [(1, 1), (1, 2), (5, 3), (7, 7), (3, 7), (60, 7), (2, 9)])
    func ownedPositionsPartition(total: Int, shards: Int) {
        var positions: [UInt64] = []
        for index in 1...shards {
            let shard = Shard(index: index, count: shards)
            let owned = (0..<shard.ownedCount(of: UInt64(total))).map { shard.position($0) }
            #expect(owned.allSatisfy { $0 < UInt64(total) })
            positions += owned
            #expect(owned.map { order in ScanOrder(count: UInt64(total), seed: 3).element(order) }
                    == Array(ScanOrder(count: UInt64(total), seed: 3).indices(shard: shard)))
        }
        #expect(positions.sorted() == (0..<UInt64(total)).map { $0 })
    }

    @Test("a ping sweep's host slices are disjoint and cover every host, whatever the shard count",
          arguments: [2, 3, 7, 12])
    func hostSlicesPartition(shards: Int) {
        let hosts = Array(0..<5)
        let slices = (1...shards).map { Shard(index: $0, count: shards).hostSlice(hosts, seed: 11) }
        #expect(slices.flatMap { $0 }.sorted() == hosts)
        #expect(Shard.whole.hostSlice(hosts, seed: 11) == hosts)
        #expect(Shard(index: 1, count: 3).description == "1/3")
    }
}

/// `-r`: no randomisation.
@Suite struct SequentialOrderTests {
    @Test("a sequential order over host-major elements gives every host its first port, then its second")
    func columnByColumn() {
        // 3 hosts x 4 ports, element = host * 4 + port.
        let order = ScanOrder(count: 12, seed: 5, sequentialRows: 3)
        #expect((0..<12).map { order.element($0) } == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        let one = ScanOrder(count: 5, seed: 5, sequentialRows: 1)
        #expect((0..<5).map { one.element($0) } == [0, 1, 2, 3, 4])
    }
}

/// nmap-services' frequency column ranks the ports (`--top-ports`, `-F`, the default scan).
@Suite struct PortRankingTests {
    @Test("ports rank by frequency, highest first, file order among equals; other protocols and comments are skipped")
    func parse() throws {
        let file = """
        # comment 1/tcp 0.9
        tcpmux\t1/tcp\t0.001995\t# TCP Port Service Multiplexer
        echo\t7/tcp\t0.004855
        echo\t7/udp\t0.024679
        http\t80/tcp\t0.484143\t# World Wide Web HTTP
        x\t5/tcp\t0.004855
        sctpthing\t9/sctp\t0.9
        https\t443/tcp\t0.208669
        """
        let ranking = try #require(PortRanking.parse(servicesFile: Array(file.utf8)))
        #expect(ranking.tcp == [80, 443, 7, 5, 1])
        #expect(ranking.udp == [7])
        #expect(ranking.top(2).tcp == PortSet(ports: [80, 443]))
        #expect(PortRanking.parse(servicesFile: Array("ssh 22/tcp\n".utf8)) == nil, "no frequency column: no ranking")
    }
}
