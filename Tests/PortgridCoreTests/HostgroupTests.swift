import PortgridCore
import Testing

@Suite("--max-hostgroup splits a plan into groups")
struct HostgroupTests {
    let hosts = (2...8).map { IPAddress.v4(IPv4Address(0xC612_0000 | UInt32($0))) }

    func plan() -> ScanPlan {
        ScanPlan(technique: .syn, hosts: HostList(hosts), ports: PortSet(ports: [22, 80, 443]), timing: .normal)
    }

    @Test("groups of at most N hosts, in the plan's order, every host once, each counting progress against the whole")
    func groupsInOrder() {
        let groups = plan().hostgroups(size: 3)
        #expect(groups.map(\.hosts.count) == [3, 3, 1])
        #expect(groups.flatMap(\.hosts) == hosts)
        #expect(groups.allSatisfy { $0.progressWork == 21 && $0.ports == PortSet(ports: [22, 80, 443]) })
        #expect(groups[2].totalWork == 3)
    }

    @Test("without a size, or with every host fitting in one group, the plan is its own only group")
    func oneGroup() {
        #expect(plan().hostgroups(size: nil) == [plan()])
        #expect(plan().hostgroups(size: 7) == [plan()])
        #expect(plan().hostgroups(size: 100) == [plan()])
        #expect(plan().progressWork == plan().totalWork)
    }

    @Test("a ping sweep's groups count hosts")
    func sweepGroups() {
        var sweep = plan()
        sweep.technique = .ping
        let groups = sweep.hostgroups(size: 2)
        #expect(groups.count == 4)
        #expect(groups.allSatisfy { $0.progressWork == 7 })
    }
}
