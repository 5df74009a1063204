import Foundation
import PortgridCore
@testable import Report
import Testing

/// The merge rule, nmap's folding rule, and what the report infers about hosts.
struct ModelTests {
    let host = IPAddress("198.18.0.2")!

    func result(_ port: UInt16, _ state: PortState, _ technique: Technique = .connect, reason: Reason = .synAck) -> PortResult {
        PortResult(host: host, proto: technique.transport, port: port, state: state, reason: reason, technique: technique)
    }

    @Test func mostDefiniteStateWinsTheMerge() {
        let merged = PortMerge.merge([
            result(22, .filtered, .ack), result(22, .open, .connect),
            result(23, .unfiltered, .ack), result(23, .closed, .syn),
            result(24, .openFiltered, .fin), result(24, .filtered, .syn),
        ])
        #expect(merged.map(\.state) == [.open, .closed, .openFiltered])
        #expect(merged.map(\.technique) == [.connect, .syn, .fin])
    }

    @Test func equalStatesMergeToTheFirstTechniqueWhateverTheInputOrder() {
        let a = [result(80, .open, .syn), result(80, .open, .connect)]
        #expect(PortMerge.merge(a).map(\.technique) == [.connect])
        #expect(PortMerge.merge(a.reversed()).map(\.technique) == [.connect])
    }

    @Test func twentyFiveOfAStateAreListedTwentySixAreFolded() {
        let listed = PortFolding.fold((1...25).map { result(UInt16($0), .closed, reason: .connRefused) })
        #expect(listed.listed.count == 25 && listed.folded.isEmpty)
        let folded = PortFolding.fold((1...26).map { result(UInt16($0), .closed, reason: .connRefused) })
        #expect(folded.listed.isEmpty)
        #expect(folded.folded.map(\.count) == [26])
        #expect(folded.folded.first?.groups.first?.ports == PortSet([1...26]))
    }

    @Test func openPortsAreNeverFolded() {
        let (listed, folded) = PortFolding.fold((1...100).map { result(UInt16($0), .open) })
        #expect(listed.count == 100 && folded.isEmpty)
    }

    @Test func foldedStatesComeMostCommonFirstAndCountAcrossProtocols() {
        var results = (1...30).map { result(UInt16($0), .closed, reason: .connRefused) }
        results += (31...70).map { result(UInt16($0), .filtered, reason: .noResponse) }
        // 20 UDP closed ports alone stay under the limit, but they share the host's closed count.
        results += (1...20).map { result(UInt16($0), .closed, .udp, reason: .portUnreach) }
        results.append(result(80, .open))
        let (listed, folded) = PortFolding.fold(results)
        #expect(listed.map(\.port) == [80])
        #expect(folded.map(\.state) == [.closed, .filtered])
        #expect(folded[0].count == 50 && folded[0].count(of: .udp) == 20)
        #expect(folded.reduce(0) { $0 + $1.count } + listed.count == results.count)
    }

    @Test func aPlannedHostWithoutAnEventIsUpByUserSetting() {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host], ports: PortSet([1...10]), timing: .normal)))
        store.apply(.results(PortResults((1...4).map { result(UInt16($0), .filtered, reason: .noResponse) })))
        let report = ScanReport(store, interrupted: true)
        #expect(report.hosts.count == 1)
        #expect(report.hosts[0].status == .up && report.hosts[0].reason == .userSet)
        #expect(report.hosts[0].notScanned == [.tcp: 6])
        #expect(report.hosts[0].rtt == nil && report.hosts[0].times == nil)
    }

    @Test func aNameWithNothingKnownIsLeftOut() {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .ping, hosts: [host], hostnames: [host: "quiet.test"], ports: PortSet(),
                                      timing: .normal)))
        #expect(ScanReport(store, interrupted: true).hosts.isEmpty)
    }

    @Test func rttSummaryFollowsRFC6298AndTheTimingBounds() throws {
        let one = try #require(RTTSummary.make(hostRTT: .milliseconds(40), samples: [], timing: .normal))
        #expect(one.rttvar == .milliseconds(20))
        #expect(one.timeout == .milliseconds(120))
        let clamped = try #require(RTTSummary.make(hostRTT: .microseconds(100), samples: [], timing: .normal))
        #expect(clamped.timeout == TimingProfile.normal.minRTTTimeout)
        let spread = try #require(RTTSummary.make(hostRTT: nil, samples: [.milliseconds(10), .milliseconds(30)], timing: nil))
        #expect(spread.srtt == .milliseconds(20) && spread.rttvar == .milliseconds(10))
        #expect(RTTSummary.make(hostRTT: nil, samples: [], timing: nil) == nil)
    }
}

/// `--open` (`ScanRequest.openOnly`), applied where the report is made.
struct OpenOnlyReportTests {
    let host = IPAddress("198.18.0.2")!, quiet = IPAddress("198.18.0.3")!

    func result(_ host: IPAddress, _ port: UInt16, _ state: PortState) -> PortResult {
        PortResult(host: host, proto: .tcp, port: port, state: state, reason: state == .open ? .synAck : .connRefused,
                   technique: .connect)
    }

    @Test("--open lists only open ports, counts the others however few, and leaves out hosts with none open")
    func openOnly() {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host, quiet], ports: PortSet([20...25]), timing: .normal)))
        store.apply(.results([result(host, 22, .open), result(host, 23, .closed), result(host, 24, .filtered),
                              result(quiet, 22, .closed)]))
        let all = ScanReport(store, interrupted: false)
        #expect(all.hosts.count == 2 && all.hosts[0].listed.count == 3)
        let open = ScanReport(store, interrupted: false, openOnly: true)
        #expect(open.hosts.map(\.address) == [host])
        #expect(open.hosts[0].listed.map(\.port) == [22])
        #expect(open.hosts[0].folded.map(\.count).reduce(0, +) == 2, "closed and filtered are counted, not listed")
        #expect(open.addressCount == 2 && open.allUpCount == 2, "the summary still counts the host left out")
    }

    @Test("with --open the writers' summaries count every address and host up, as nmap's do, not only the hosts shown")
    func openOnlySummaries() {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host, quiet], ports: PortSet([20...25]), timing: .normal)))
        store.apply(.host(HostResult(address: host, status: .up, reason: .synAck)))
        store.apply(.host(HostResult(address: quiet, status: .up, reason: .synAck)))
        store.apply(.results([result(host, 22, .open), result(quiet, 22, .closed)]))
        let report = ScanReport(store, interrupted: false, openOnly: true)
        let context = ReportContext(version: "0.1.0", arguments: ["portgrid", "--open"], start: Date(), end: Date(),
                                    interrupted: false, services: .builtIn)
        #expect(Report.render(.normal, report, context: context).contains("2 IP addresses (2 hosts up) scanned"))
        #expect(Report.render(.grepable, report, context: context).contains("2 IP addresses (2 hosts up) scanned"))
        #expect(Report.render(.xml, report, context: context).contains("<hosts up=\"2\" down=\"0\" total=\"2\"/>"))
        #expect(Report.render(.markdown, report, context: context).contains("2 IP addresses (2 hosts up)"))
    }
}
