import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct NotProbedTests {
    let hosts = (1 ... 4).map { IPAddress("198.18.0.\($0)")! }
    var plan: ScanPlan { ScanPlan(technique: .syn, hosts: HostList(hosts), ports: PortSet(ports: [22, 80, 443]), timing: .template(4)) }

    @Test("a scan with nothing to resume leaves out only the other shards' pairs")
    func nothingResumedCountsOnlyOtherShards() {
        #expect(ScanSession.notProbed(plan, .whole, .none) == 0)
        // 12 pairs in 3 shards: the first owns 4, so 8 are the others'.
        #expect(ScanSession.notProbed(plan, Shard(index: 1, count: 3), .none) == 8)
        // A ping sweep's statuses decide no port pair.
        var swept = FinishedWork()
        swept.insert(hosts[0])
        #expect(ScanSession.notProbed(plan, .whole, swept) == 0)
    }

    @Test("a resumed scan leaves out the decided pairs of planned hosts and every pair of skipped hosts")
    func resumedPairsAndSkippedHostsCount() {
        var finished = FinishedWork()
        finished.insert(hosts[0], port: 22)
        finished.insert(hosts[0], port: 80)
        finished.insert(hosts[1], port: 8080)
        finished.insert(IPAddress("198.18.9.9")!, port: 22)
        finished.skip([hosts[3]])
        #expect(ScanSession.notProbed(plan, .whole, finished) == 2 + 3)
    }
}
