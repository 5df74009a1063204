import Foundation
import PortgridCore
@testable import Report
import Testing

/// A headless run scanned in hostgroups writes each group out as it finishes and lets it go: the
/// store hands a group's hosts over whole, and a report written part by part reads as the report
/// written at once, its footer counting every part.
struct ReportPartsTests {
    /// Inside the test range, and never recorded in the fixture.
    static let unknown = IPAddress("198.18.0.77")!

    @Test("a store hands over the hosts asked for with everything known of them, keeps the others, and passes over an address it does not know")
    func takingHostsOutOfAStore() {
        let whole = Fixture.store()
        var store = whole
        let taken = store.takeHosts([Fixture.a, Fixture.c, Self.unknown])
        for host in [Fixture.a, Fixture.c] {
            #expect(taken.host(host) == whole.host(host), "\(host)")
            #expect(taken.results(for: host) == whole.results(for: host), "\(host)")
            #expect(taken.lastResultTime(of: host) == whole.lastResultTime(of: host), "\(host)")
            #expect(!store.knows(host), "\(host) left the store")
        }
        for host in [Fixture.b, Fixture.down] {
            #expect(store.host(host) == whole.host(host), "\(host)")
            #expect(store.results(for: host) == whole.results(for: host), "\(host)")
            #expect(!taken.knows(host), "\(host) stayed")
        }
        #expect(!taken.knows(Self.unknown) && !store.knows(Self.unknown))
        #expect(taken.hostCount + store.hostCount == whole.hostCount)
        #expect(taken.resultCount + store.resultCount == whole.resultCount)
        #expect(taken.plans[.connect]?.hosts == [Fixture.a, Fixture.c], "each keeps the plans, narrowed to its hosts")
        #expect(store.plans[.connect]?.hosts == [Fixture.b])
        #expect(taken.plans[.ping]?.hosts == [Fixture.a] && store.plans[.ping]?.hosts == [Fixture.down])
        #expect(taken.plans[.connect]?.ports == whole.plans[.connect]?.ports)
        #expect(taken.planStarts == whole.planStarts)
    }

    @Test("taking every host hands the store over whole and leaves one that names no host, with the run's notices")
    func takingEveryHost() {
        let whole = Fixture.store()
        var store = whole
        let taken = store.takeHosts(whole.addresses)
        #expect(taken.addresses == whole.addresses && taken.hostCount == whole.hostCount)
        #expect(taken.resultCount == whole.resultCount)
        #expect(store.addresses.isEmpty && store.hostCount == 0 && store.resultCount == 0)
        #expect(store.notices == whole.notices && taken.notices.isEmpty)
        #expect(store.plans.values.allSatisfy(\.hosts.isEmpty) && taken.plans.keys == whole.plans.keys)
        #expect(ScanReport(store, interrupted: false).hosts.isEmpty, "its report names nobody")
    }

    @Test("the down hosts, then the others, written as two parts read as nmap's whole report: same hosts, same totals")
    func downHostsThenTheOthers() throws {
        var store = Fixture.store()
        let down = store.takeHosts([Fixture.down])
        var context = Fixture.context()
        context.verbosity = 1
        let whole = ScanReport(Fixture.store(), interrupted: false)
        for format in [ReportFormat.normal, .xml, .grepable] {
            var bytes: [UInt8] = []
            let sink = ReportSink(limit: 100) { bytes.append(contentsOf: $0) }
            var stream = ReportStream([(format, sink)], plans: whole.plans, context: context)
            stream.write(ScanReport(down, interrupted: false), context: context)
            stream.write(ScanReport(store, interrupted: false), context: context)
            stream.finish(context: context, interrupted: false)
            #expect(String(decoding: bytes, as: UTF8.self) == Report.render(format, whole, context: context), "\(format)")
            #expect(stream.totals.upCount == 3 && stream.totals.downCount == 1 && stream.totals.addressCount == 4)
        }
    }

    @Test("down hosts written before the port scan's plan is announced, with the run's plans for the headers, then the others: byte for byte nmap's whole report")
    func downHostsBeforeThePlan() throws {
        let dir = try TemporaryDirectory()
        let whole = Fixture.store()
        // What the consumer's store holds after a discovery group, before the port scan's `.started`:
        // the down host's record and no plan.
        var early = ResultStore()
        early.apply(.host(try #require(whole.host(Fixture.down))))
        var rest = whole
        _ = rest.takeHosts([Fixture.down])
        var context = Fixture.context()
        context.verbosity = 1
        let report = ScanReport(whole, interrupted: false)
        let formats: [ReportFormat] = [.normal, .xml, .grepable]
        let fs = RecordingFileSystem()
        var outputs = try ReportOutputs.open(
            formats.map { ReportStreamingTests.request($0, dir.path + "/scan.\($0.fileExtension)") },
            table: false, stop: { false }, fs)
        let down = ScanReport(early.takeHosts([Fixture.down]), interrupted: false)
        #expect(down.plans.isEmpty && down.downCount == 1)
        outputs.write(part: down, context: context, plans: report.plans, chunk: 512, fs)
        outputs.write(part: ScanReport(rest, interrupted: false), context: context, chunk: 512, fs)
        #expect(outputs.finish(context: context, interrupted: false, fs).isEmpty)
        for format in formats {
            let written = try String(contentsOfFile: dir.path + "/scan.\(format.fileExtension)", encoding: .utf8)
            #expect(written == Report.render(format, report, context: context), "\(format)")
        }
        let xml = try String(contentsOfFile: dir.path + "/scan.xml", encoding: .utf8)
        #expect(xml.contains("<scaninfo type=\"connect\""), "the header names the scan the down hosts came before")
    }

    @Test("a report written a group at a time is byte for byte the report written at once, in every format, and takes its file's place only when finished")
    func partsAreTheWholeReport() throws {
        let dir = try TemporaryDirectory()
        let whole = ReportStreamingTests.sweep()
        var store = whole
        let first = store.takeHosts(whole.addresses.prefix(150))
        let context = Fixture.context()
        let formats = ReportFormat.allCases
        let fs = RecordingFileSystem()
        var outputs = try ReportOutputs.open(
            formats.map { ReportStreamingTests.request($0, dir.path + "/scan.\($0.fileExtension)") },
            table: false, stop: { false }, fs)
        outputs.write(part: ScanReport(first, interrupted: false), context: context, chunk: 512, fs)
        #expect(outputs.isWritingParts)
        #expect(!dir.entries.contains("scan.json"), "a replaced file stays in its temporary file until the end")
        outputs.write(part: ScanReport(store, interrupted: false), context: context, chunk: 512, fs)
        #expect(outputs.finish(context: context, interrupted: false, fs).isEmpty)
        #expect(!outputs.isWritingParts)
        let report = ScanReport(whole, interrupted: false)
        for format in formats {
            let written = try String(contentsOfFile: dir.path + "/scan.\(format.fileExtension)", encoding: .utf8)
            #expect(written == Report.render(format, report, context: context), "\(format)")
        }
        #expect(dir.entries.count == formats.count, "no temporary file is left")
    }

    @Test("with --append-output a finished group is in the file while the next one scans")
    func appendedPartsArriveAsTheyFinish() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.gnmap"
        let whole = ReportStreamingTests.sweep()
        var store = whole
        let first = store.takeHosts(whole.addresses.prefix(2))
        let context = Fixture.context()
        var outputs = try ReportOutputs.open([ReportStreamingTests.request(.grepable, path)], table: false,
                                             append: true, stop: { false })
        outputs.write(part: ScanReport(first, interrupted: false), context: context)
        let early = try String(contentsOfFile: path, encoding: .utf8)
        #expect(early.contains("Host: 198.18.0.1 ()\tStatus: Up"))
        #expect(!early.contains("198.18.0.2 "), "the next group is not written yet")
        outputs.write(part: ScanReport(store, interrupted: true), context: context)
        #expect(outputs.finish(context: context, interrupted: true).isEmpty)
        let final = try String(contentsOfFile: path, encoding: .utf8)
        #expect(final.contains("# Scan interrupted"), "the footer says how the run ended")
        #expect(final.hasSuffix("300 IP addresses (300 hosts up) scanned in 12.35 seconds\n"), "and counts every part")
    }

    @Test("-Pn: a port scan's hosts are recorded up by user setting with their first result, not before, whatever the reply, and a host with none is still reported so")
    func assumedUpHostsAreRecordedWithTheirResults() {
        let hosts: [IPAddress] = [IPAddress("198.18.0.2")!, IPAddress("198.18.0.3")!, IPAddress("198.18.0.4")!]
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .syn, hosts: HostList(hosts), ports: PortSet(ports: [22, 80]),
                                      timing: .normal, assumedUp: true)))
        #expect(store.hostCount == 0, "no record a host up front")
        store.apply(.results([PortResult(host: hosts[0], proto: .tcp, port: 22, state: .open, reason: .synAck,
                                         technique: .syn, rtt: .microseconds(80), replyTTL: 64),
                              PortResult(host: hosts[1], proto: .tcp, port: 22, state: .filtered, reason: .noResponse,
                                         technique: .syn)]))
        #expect(store.hostCount == 2)
        for host in hosts.prefix(2) {
            #expect(store.host(host)?.status == .up && store.host(host)?.reason == .userSet, "\(host)")
        }
        let report = ScanReport(store, interrupted: true)
        #expect(report.hosts.map(\.address) == hosts, "the host with no result is reported too")
        #expect(report.hosts.allSatisfy { $0.status == .up && $0.reason == .userSet })
        #expect(report.upCount == 3)
    }
}
