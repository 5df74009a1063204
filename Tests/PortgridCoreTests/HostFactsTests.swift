import Foundation
import PortgridCore
import Testing

/// What the store learns about a host beside its ports: names found later, reply TTLs, -Pn's
/// "user-set", and the host's own scan times, which nmap's outputs carry.
@Suite struct HostFactsTests {
    let host = IPAddress("198.18.0.2")!
    let t0 = Date(timeIntervalSince1970: 1_000)

    @Test("a report of unknown status only adds the reverse-DNS name and keeps the rest")
    func aNameOnlyReportAddsTheName() {
        let known = HostResult(address: host, hostname: "typed", status: .up, reason: .echoReply, rtt: .milliseconds(1),
                               replyTTL: 64)
        let merged = known.merged(with: .named(host, reverseName: "ptr.test"))
        #expect(merged?.status == .up && merged?.reason == .echoReply && merged?.replyTTL == 64)
        #expect(merged?.hostname == "typed" && merged?.reverseName == "ptr.test")
        #expect(merged?.merged(with: .named(host, reverseName: "ptr.test")) == nil, "nothing new, no change")
    }

    @Test("a port's reply puts its host up with the reply's TTL")
    func theFirstReplyGivesTheHostItsTTL() {
        var store = ResultStore()
        store.apply(.results([PortResult(host: host, proto: .tcp, port: 22, state: .open, reason: .synAck,
                                         technique: .syn, replyTTL: 63)]))
        #expect(store.host(host)?.replyTTL == 63)
    }

    @Test("-Pn's hosts are up as the user said, and a port's reply does not change the reason")
    func assumedUpHostsStayUserSet() {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .syn, hosts: [host], ports: PortSet(ports: [22]), timing: .normal,
                                      assumedUp: true)))
        store.apply(.results([PortResult(host: host, proto: .tcp, port: 22, state: .open, reason: .synAck,
                                         technique: .syn, replyTTL: 64)]))
        #expect(store.host(host)?.status == .up && store.host(host)?.reason == .userSet)
    }

    @Test("a host's scan runs from its port scan's start to its last result")
    func hostScanTimes() {
        var store = ResultStore()
        let other = IPAddress("198.18.0.3")!
        store.apply(.started(ScanPlan(technique: .syn, hosts: [host, other], ports: PortSet(ports: [22]), timing: .normal)),
                    at: t0)
        let result = { (address: IPAddress) in
            PortResult(host: address, proto: .tcp, port: 22, state: .closed, reason: .reset, technique: .syn)
        }
        store.apply(.results([result(host), result(other)]), at: t0 + 2)
        store.apply(.results([result(host)]), at: t0 + 5)
        #expect(store.planStarts[.syn] == t0)
        #expect(store.lastResultTime(of: host) == t0 + 5 && store.lastResultTime(of: other) == t0 + 2)
    }

    @Test("a store rebuilt for fewer hosts keeps their scan times")
    func rebuiltStoreKeepsTimes() {
        var old = ResultStore()
        let other = IPAddress("198.18.0.3")!
        old.apply(.started(ScanPlan(technique: .syn, hosts: [host, other], ports: PortSet(ports: [22]), timing: .normal)),
                  at: t0)
        old.apply(.results([PortResult(host: host, proto: .tcp, port: 22, state: .open, reason: .synAck, technique: .syn),
                            PortResult(host: other, proto: .tcp, port: 22, state: .open, reason: .synAck, technique: .syn)]),
                  at: t0 + 3)
        var rebuilt = ResultStore()
        rebuilt.apply(.started(ScanPlan(technique: .syn, hosts: [host], ports: PortSet(ports: [22]), timing: .normal)),
                      at: t0 + 60)
        rebuilt.keepTimes(of: [host], from: old)
        #expect(rebuilt.planStarts[.syn] == t0)
        #expect(rebuilt.lastResultTime(of: host) == t0 + 3 && rebuilt.lastResultTime(of: other) == nil)
    }
}
