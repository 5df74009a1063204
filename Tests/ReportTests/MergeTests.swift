import Foundation
import PortgridCore
import Report
import Testing

/// Reports read back, merged and resumed: what `portgrid merge` and `--resume` stand on.
struct MergeTests {
    static let host = IPAddress("198.18.0.2")!
    static let other = IPAddress("198.18.0.3")!

    /// A request for 198.18.0.2-3, ports 1-60, as shard `index` of `count`.
    static func request(_ index: Int = 1, of count: Int = 1, seed: UInt64 = 7, ports: String = "1-60",
                        technique: Technique = .connect) -> ScanRequest {
        ScanRequest(targets: try! TargetSet(parsing: ["198.18.0.2-3"]), ports: try! PortList(parsing: ports),
                    technique: technique, skipDiscovery: true, shard: Shard(index: index, count: count), seed: seed)
    }

    /// What a whole scan finds: port 22 open on .2, 30-39 filtered, the rest closed; .3 all filtered.
    static func result(_ host: IPAddress, _ port: UInt16) -> PortResult {
        let (state, reason): (PortState, Reason) = host == other ? (.filtered, .noResponse)
            : port == 22 ? (.open, .synAck) : (30...39).contains(port) ? (.filtered, .adminProhibited)
            : (.closed, .connRefused)
        return PortResult(host: host, proto: .tcp, port: port, state: state, reason: reason, technique: .connect)
    }

    /// The pairs shard `index` of `count` owns, by the scan order the engine walks.
    static func pairs(_ index: Int, of count: Int, seed: UInt64 = 7) -> [(IPAddress, UInt16)] {
        let hosts = [host, other], ports = PortSet([1...60])
        let order = ScanOrder(count: UInt64(hosts.count * ports.count), seed: seed)
        return order.indices(shard: Shard(index: index, count: count)).map { element in
            (hosts[Int(element / UInt64(ports.count))], ports[Int(element % UInt64(ports.count))])
        }
    }

    /// The JSON a run writes, read back.
    static func roundTrip(_ request: ScanRequest, _ results: [PortResult], interrupted: Bool = false,
                          source: String = "shard.json") throws -> StoredReport {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: request.technique, hosts: [host, other], ports: request.portSet,
                                      timing: request.timing)))
        store.apply(.results(PortResults(results)))
        var context = ReportContext(version: "0.1.0", arguments: ["portgrid"], start: Date(), end: Date(),
                                    interrupted: interrupted, services: .builtIn)
        context.request = request
        return try JSONReportReader.read(Data(Report.render(.json, store, context: context).utf8), source: source)
    }

    /// The same, through the XML report.
    static func xmlRoundTrip(_ request: ScanRequest, _ results: [PortResult], interrupted: Bool = false,
                             source: String = "shard.xml") throws -> StoredReport {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: request.technique, hosts: [host, other], ports: request.portSet,
                                      timing: request.timing)))
        store.apply(.results(PortResults(results)))
        var context = ReportContext(version: "0.1.0", arguments: ["portgrid", "--x--y"], start: Date(), end: Date(),
                                    interrupted: interrupted, services: .builtIn)
        context.request = request
        return try StoredReportReader.read(Data(Report.render(.xml, store, context: context).utf8), source: source)
    }

    static func states(_ store: ResultStore) -> [String: String] {
        Dictionary(uniqueKeysWithValues: store.allResults.map {
            ("\($0.host)/\($0.port)", "\($0.state.rawValue) \($0.reason.rawValue)")
        })
    }

    @Test("a JSON report reads back with its request and every port, the folded ones included")
    func jsonRoundTrip() throws {
        let results = (1...60).map { Self.result(Self.host, UInt16($0)) }
        let stored = try Self.roundTrip(Self.request(2, of: 3, seed: UInt64.max - 2), results, interrupted: true)
        #expect(stored.request.shard == Shard(index: 2, count: 3))
        #expect(stored.request.seed == UInt64.max - 2)
        #expect(stored.request.targets == Self.request().targets)
        #expect(stored.request.portSet == PortSet([1...60]))
        #expect(stored.request.technique == .connect)
        #expect(stored.request.skipDiscovery)
        #expect(stored.interrupted)
        #expect(Set(stored.results) == Set(results))
    }

    /// A request with every setting that changes what a run finds or shows set away from its default.
    static func everySetting() -> ScanRequest {
        var request = Self.request(seed: 99)
        request.sequential = true
        request.ipv6 = false
        request.openOnly = true
        request.discoveryProbes = DiscoveryProbeSet(synPorts: [22, 2222], ackPorts: [80], udpPorts: [40125, 53],
                                                    echo: true, timestamp: true)
        request.timing = TimingProfile.template(4)
        request.timing.minParallelism = 20
        request.timing.maxParallelism = 50
        request.timing.initialRTTTimeout = .milliseconds(300)
        request.timing.minRTTTimeout = .microseconds(50_500)
        request.timing.maxRTTTimeout = .seconds(2)
        request.timing.scanDelay = .milliseconds(15)
        request.timing.maxHostgroup = 16
        request.timing.minHostgroup = 4
        request.timing.minRate = 10
        request.timing.maxRate = 900
        request.timing.maxRetries = 3
        request.timing.hostTimeout = .seconds(30)
        return request
    }

    @Test("every setting that changes a run's result rides in the stored request and reads back, JSON and XML alike")
    func everySettingReadsBack() throws {
        let request = Self.everySetting()
        let results = (1...60).map { Self.result(Self.host, UInt16($0)) }
        #expect(try Self.roundTrip(request, results).request == request)
        #expect(try Self.xmlRoundTrip(request, results).request == request)
        var six = Self.request()
        six.targets = try TargetSet(parsing: ["2001:2::2"])
        six.ipv6 = true
        #expect(try Self.roundTrip(six, []).request.ipv6)
    }

    @Test("a report written before these settings were stored reads back with their defaults")
    func olderRequestsReadBack() throws {
        let text = #"{"scanner": "portgrid", "request": {"targets": ["198.18.0.2"], "exclude": [], "ports": "22", "#
            + #""technique": "connect", "seed": "5", "shard": "1/1", "skip_discovery": true, "reverse_dns": "never", "#
            + #""timing": 4, "max_retries": 6, "min_rate": null, "max_rate": null, "host_timeout_ms": null}, "hosts": []}"#
        let request = try JSONReportReader.read(Data(text.utf8), source: "old.json").request
        #expect(request.timing == TimingProfile.template(4))
        #expect(request.discoveryProbes == .standard)
        #expect(!request.sequential && !request.ipv6 && !request.openOnly)
    }

    @Test("-6 and -r make different scans: merge refuses to mix them with runs without")
    func ipv6AndSequentialDiffer() {
        var sequential = Self.request()
        sequential.sequential = true
        #expect(ReportMerge.difference(Self.request(), sequential) == "-r")
        var six = Self.request()
        six.ipv6 = true
        #expect(ReportMerge.difference(Self.request(), six) == "-6")
    }

    @Test("--ttl, --badsum, -g, -S and -e are kept in the JSON and XML requests, so --resume shapes its probes the same")
    func packetOptionsRoundTrip() throws {
        var request = Self.request(1, of: 1, seed: 5)
        let results = (1...60).map { Self.result(Self.host, UInt16($0)) }
        #expect(try Self.roundTrip(request, results, interrupted: true).request.packets == .standard)
        request.packets = PacketOptions(ttl: 7, badChecksum: true, sourcePort: 53, sourceAddress: IPAddress("2001:2::9"),
                                        interface: "pgs0")
        #expect(try Self.roundTrip(request, results, interrupted: true).request.packets == request.packets)
        #expect(try Self.xmlRoundTrip(request, results, interrupted: true).request == request)
    }

    @Test("--send-ip and --send-eth are kept in the JSON and XML requests, so --resume sends as the first part did")
    func linkLayerRoundTrip() throws {
        var request = Self.request(1, of: 1, seed: 5)
        let results = (1...60).map { Self.result(Self.host, UInt16($0)) }
        for choice in [LinkLayerChoice.ip, .ethernet] {
            request.packets.linkLayer = choice
            #expect(try Self.roundTrip(request, results, interrupted: true).request.packets.linkLayer == choice)
            #expect(try Self.xmlRoundTrip(request, results, interrupted: true).request == request)
        }
    }

    @Test("an XML report reads back like the JSON one: request, interrupted flag, every port")
    func xmlRoundTrip() throws {
        var request = Self.request(3, of: 5, seed: 12)
        request.targets = try TargetSet(parsing: ["198.18.0.2-3", "a--b.test"])
        let results = (1...60).map { Self.result(Self.host, UInt16($0)) } + (1...60).map { Self.result(Self.other, UInt16($0)) }
        let stored = try Self.xmlRoundTrip(request, results, interrupted: true)
        #expect(stored.request == request)
        #expect(stored.interrupted)
        #expect(Set(stored.results) == Set(results))
        #expect(Set(stored.hosts.map(\.address)) == [Self.host, Self.other])
    }

    @Test("an XML report with a MAC address and user and PTR names reads back with them")
    func xmlWithLinkAddressReadsBack() throws {
        var store = ResultStore()
        let request = Self.request()
        store.apply(.started(ScanPlan(technique: request.technique, hosts: [Self.host], hostnames: [Self.host: "typed.test"],
                                      ports: request.portSet, timing: request.timing)))
        store.apply(.results(PortResults((1...60).map { Self.result(Self.host, UInt16($0)) })))
        store.apply(.host(.onLink(Self.host, mac: "3E:38:D5:94:DB:D7")))
        store.apply(.host(.named(Self.host, reverseName: "ptr.test")))
        var context = ReportContext(version: "0.1.0", arguments: ["portgrid"], start: Date(), end: Date(),
                                    interrupted: false, services: .builtIn)
        context.request = request
        let stored = try StoredReportReader.read(Data(Report.render(.xml, store, context: context).utf8), source: "a.xml")
        let host = try #require(stored.hosts.first)
        #expect(host.address == Self.host && host.mac == "3E:38:D5:94:DB:D7")
        #expect(host.hostname == "typed.test" && host.reverseName == "ptr.test")
    }

    @Test("JSON and XML shards merge together")
    func mixedFormats() throws {
        let first = try Self.roundTrip(Self.request(1, of: 2), Self.pairs(1, of: 2).map { Self.result($0.0, $0.1) })
        let second = try Self.xmlRoundTrip(Self.request(2, of: 2), Self.pairs(2, of: 2).map { Self.result($0.0, $0.1) })
        let merged = try ReportMerge.merge([first, second])
        #expect(merged.missingShards.isEmpty)
        #expect(merged.store.resultCount == 120)
    }

    @Test("a report of a TUI session whose technique or range changed records no request")
    func changedSessionsRecordNoRequest() throws {
        var context = ReportContext(version: "0.1.0", arguments: ["portgrid"], start: Date(), end: Date(),
                                    interrupted: false, services: .builtIn)
        context.request = Self.request()
        context.changes = ["technique: connect -> SYN"]
        for format in [ReportFormat.json, .xml] {
            #expect(throws: StoredReportError.noRequest("r")) {
                try StoredReportReader.read(Data(Report.render(format, ResultStore(), context: context).utf8), source: "r")
            }
        }
    }

    @Test("the shards of one scan, merged, equal the whole scan, and each pair comes from exactly one shard",
          arguments: [2, 3, 7, 150])
    func shardsMergeToTheWhole(count: Int) throws {
        var reports: [StoredReport] = [], seen = Set<String>()
        for index in 1...count {
            let results = Self.pairs(index, of: count).map { Self.result($0.0, $0.1) }
            for result in results { #expect(seen.insert("\(result.host)/\(result.port)").inserted) }
            reports.append(try Self.roundTrip(Self.request(index, of: count), results, source: "s\(index).json"))
        }
        let whole = (1...60).flatMap { port in [Self.result(Self.host, UInt16(port)), Self.result(Self.other, UInt16(port))] }
        let merged = try ReportMerge.merge(reports.shuffled())
        #expect(merged.missingShards.isEmpty)
        #expect(!merged.interrupted)
        #expect(merged.request.shard == .whole)
        #expect(Self.states(merged.store) == Self.states(ReportMerge.store(Self.request(), hosts: [], results: whole)))
    }

    @Test("a merge names the shards it lacks")
    func missingShards() throws {
        let reports = try [1, 3].map { index in
            try Self.roundTrip(Self.request(index, of: 4), Self.pairs(index, of: 4).map { Self.result($0.0, $0.1) })
        }
        let merged = try ReportMerge.merge(reports)
        #expect(merged.missingShards == [2, 4])
        #expect(merged.shardCount == 4)
    }

    @Test("reports of different scans are refused in one line naming what differs, unless forced",
          arguments: [("seed", Self.request(2, of: 2, seed: 8)), ("ports", Self.request(2, of: 2, ports: "1-61")),
                      ("technique", Self.request(2, of: 2, technique: .syn)), ("shard count", Self.request(2, of: 3))])
    func mismatchesAreRefused(field: String, odd: ScanRequest) throws {
        let first = try Self.roundTrip(Self.request(1, of: 2), [], source: "a.json")
        let second = try Self.roundTrip(odd, [], source: "b.json")
        #expect(throws: StoredReportError.mismatch("a.json", "b.json", field: field)) {
            try ReportMerge.merge([first, second])
        }
        let message = StoredReportError.mismatch("a.json", "b.json", field: field).description
        #expect(!message.contains("\n") && message.contains(field) && message.contains("--force"))
        #expect(try ReportMerge.merge([first, second], force: true).request.seed == 7)
    }

    @Test("a report of other targets is refused too")
    func otherTargetsAreRefused() throws {
        var odd = Self.request(2, of: 2)
        odd.targets = try TargetSet(parsing: ["198.18.0.2-4"])
        let reports = [try Self.roundTrip(Self.request(1, of: 2), []), try Self.roundTrip(odd, [])]
        #expect(throws: StoredReportError.mismatch("shard.json", "shard.json", field: "targets")) {
            try ReportMerge.merge(reports)
        }
    }

    @Test("what a report decided is what a resumption skips; the resumed store has old and new results")
    func resumePlan() throws {
        let done = (1...25).map { Self.result(Self.host, UInt16($0)) }
        let stored = try Self.roundTrip(Self.request(), done, interrupted: true)
        let finished = stored.finishedWork
        #expect(finished.portCount == 25)
        #expect(finished.contains(Self.host, port: 22))
        #expect(!finished.contains(Self.host, port: 26))
        #expect(!finished.contains(Self.other, port: 1))
        var rest = ResultStore()
        rest.apply(.results(PortResults((26...60).map { Self.result(Self.host, UInt16($0)) }
                            + (1...60).map { Self.result(Self.other, UInt16($0)) })))
        let whole = (1...60).flatMap { port in [Self.result(Self.host, UInt16(port)), Self.result(Self.other, UInt16(port))] }
        #expect(Self.states(ReportMerge.resumed(stored, run: rest))
                == Self.states(ReportMerge.store(Self.request(), hosts: [], results: whole)))
    }

    @Test("a resumed ping sweep skips the hosts that already have a status")
    func resumedSweepSkipsDecidedHosts() throws {
        var store = ResultStore()
        store.apply(.host(HostResult(address: Self.host, status: .up, reason: .echoReply)))
        var context = ReportContext(version: "0.1.0", arguments: ["portgrid"], start: Date(), end: Date(),
                                    interrupted: true, services: .builtIn)
        context.request = Self.request(technique: .ping)
        let stored = try JSONReportReader.read(Data(Report.render(.json, store, context: context).utf8), source: "p")
        #expect(stored.finishedWork.hosts == [Self.host])
    }

    @Test("a report without a request, or not from portgrid, is refused in one line")
    func unusableReports() {
        #expect(throws: StoredReportError.noRequest("old.json")) {
            try JSONReportReader.read(Data(#"{"scanner": "portgrid", "hosts": []}"#.utf8), source: "old.json")
        }
        #expect(throws: StoredReportError.notPortgrid("nmap.json")) {
            try JSONReportReader.read(Data(#"{"scanner": "nmap"}"#.utf8), source: "nmap.json")
        }
        #expect(throws: StoredReportError.unreadable("x.json", why: "not valid JSON")) {
            try JSONReportReader.read(Data("{".utf8), source: "x.json")
        }
    }
}
