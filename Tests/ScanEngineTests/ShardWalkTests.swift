import Foundation
import PortgridCore
import Testing
@testable import ScanEngine

/// `--shard` and `--resume` at the engine's edges: the connect walk, the raw passes, and real
/// loopback scans through `Scanner().run` (127.0.0.1 only).
@Suite(.serialized) struct ShardWalkTests {
    /// Every index a cursor hands out, as permutation positions.
    static func positions(_ cursor: ProbeCursor) -> [UInt64] {
        var positions: [UInt64] = []
        while true {
            let range = cursor.take(7)
            if range.isEmpty { return positions }
            positions += range.map(cursor.position)
        }
    }

    @Test("the connect walks of N shards take disjoint positions that cover the permutation", arguments: [2, 3, 7, 40])
    func connectWalksPartition(count: Int) {
        let total: UInt64 = 31
        let all = (1...count).flatMap { Self.positions(ProbeCursor(count: total, shard: Shard(index: $0, count: count))) }
        #expect(all.sorted() == Array(0..<total))
    }

    @Test("a raw job's finished pairs and skipped hosts start out answered: the passes never send them")
    func rawPassesSkipFinishedPairs() {
        var finished = FinishedWork()
        finished.insert(.v4(IPv4Address(0xC612_0002)), port: 80)
        finished.insert(.v4(IPv4Address(0xC612_0002)), port: 22)
        finished.insert(.v4(IPv4Address(0xC612_0009)), port: 80)  // not in the job: ignored
        finished.skip([.v4(IPv4Address(0xC612_0004))])  // found down by a shard's sweep
        let job = RawJob(kind: .ports(.syn), hosts: [0xC612_0002, 0xC612_0003, 0xC612_0004], sources: [0, 0, 0],
                         ports: PortSet(ports: [22, 80, 443]), seed: 5, finished: finished)
        var scheduler = PassScheduler(hostCount: 3, itemCount: 3, maxRetries: 1, seed: 5)
        for (host, items) in job.finishedItems() { scheduler.finalize(host: host, items: items) }
        var sent: [String] = []
        while let item = scheduler.nextProbe() { sent.append("\(item.host):\(job.ports[item.item])") }
        #expect(Set(sent) == ["0:443", "1:22", "1:80", "1:443"])
        #expect(scheduler.remaining == 4)
    }

    func scan(_ ports: PortSet, shard: Shard = .whole, finished: FinishedWork = .none) async throws -> [PortResult] {
        var request = ScanRequest(targets: try TargetSet(parsing: ["127.0.0.1"]), ports: PortList(tcp: ports, udp: PortSet()),
                                  technique: .connect, skipDiscovery: true, shard: shard, seed: 99)
        request.finished = finished
        var results: [PortResult] = []
        var last: ScanProgress?
        for await event in Scanner().run(request) {
            if case .results(let batch) = event { results += batch }
            if case .progress(let progress) = event { last = progress }
        }
        #expect(last.map { $0.completed == $0.total } ?? true, "progress ends complete")
        return results
    }

    @Test("loopback connect shards scan disjoint port sets whose union is one whole scan", arguments: [2, 3, 7])
    func loopbackShards(count: Int) async throws {
        let ports = PortSet([40_000...40_059])
        var seen: [UInt16] = []
        for index in 1...count { seen += try await scan(ports, shard: Shard(index: index, count: count)).map(\.port) }
        #expect(seen.count == Set(seen).count, "a port scanned by two shards")
        #expect(Set(seen) == Set(ports))
    }

    @Test("a resumed loopback scan probes only the pairs the earlier run left")
    func loopbackResume() async throws {
        var finished = FinishedWork()
        for port in UInt16(40_000)...40_029 { finished.insert(IPAddress("127.0.0.1")!, port: port) }
        let rest = try await scan(PortSet([40_000...40_059]), finished: finished)
        #expect(Set(rest.map(\.port)) == Set(40_030...40_059))
    }
}
