import PortgridCore
import Testing

@Suite("a plan's hosts kept as runs")
struct HostListTests {
    static func address(_ text: String) -> IPAddress { IPAddress(text)! }

    @Test("a CIDR block is one run: every host in order, by position and by walking, and sublists of it")
    func aBlockIsOneRun() {
        let block = (0..<65_536).map { IPAddress.v4(IPv4Address(0xC613_0000 + UInt32($0))) }
        let list = HostList(block)
        #expect(list.count == 65_536)
        #expect(list.ipv4RunStart == 0xC613_0000)
        #expect(list[0] == Self.address("198.19.0.0") && list[65_535] == Self.address("198.19.255.255"))
        #expect(list[256] == Self.address("198.19.1.0"))
        #expect(Array(list) == block)
        let group = list.sublist(1000..<1010)
        #expect(Array(group) == Array(block[1000..<1010]) && group.ipv4RunStart == 0xC613_03E8)
        #expect(list == HostList(block), "equal lists compare equal")
    }

    @Test("a mixed list keeps its order: IPv4 runs, single addresses, IPv6 between them, no run across the top")
    func aMixedListKeepsItsOrder() {
        let hosts = ["198.18.0.9", "198.18.0.10", "198.18.0.11", "2001:2::5", "198.18.0.12", "198.18.0.3",
                     "2001:2::6", "255.255.255.255", "0.0.0.0", "0.0.0.1"].map(Self.address)
        let list = HostList(hosts)
        #expect(list.count == hosts.count)
        #expect(list.ipv4RunStart == nil)
        #expect(Array(list) == hosts)
        #expect(hosts.indices.allSatisfy { list[$0] == hosts[$0] })
        for range in [0..<10, 1..<4, 2..<9, 3..<4, 5..<5, 7..<10] {
            #expect(Array(list.sublist(range)) == Array(hosts[range]), "sublist \(range)")
        }
        var grown = HostList()
        for host in hosts { grown.append(host) }
        #expect(grown == list)
        #expect(HostList().isEmpty && Array(HostList()) == [])
    }

    @Test("a sorted list answers membership by its runs: inside and at the edges of a run, between runs, IPv6")
    func aSortedListAnswersMembership() {
        let hosts = ["198.18.0.1", "198.18.0.2", "198.18.0.3", "198.18.0.7", "198.19.0.0", "198.19.0.1",
                     "2001:2::1", "2001:2::9"].map(Self.address)
        let list = HostList(hosts)
        for host in hosts { #expect(list.sortedContains(host), "\(host)") }
        for other in ["198.18.0.0", "198.18.0.4", "198.18.0.8", "198.19.0.2", "0.0.0.0", "2001:2::2", "2001:2::a",
                      "2001:2:0:1::1"].map(Self.address) {
            #expect(!list.sortedContains(other), "\(other)")
        }
        #expect(!HostList().sortedContains(Self.address("198.18.0.1")))
    }
}
