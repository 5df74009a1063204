import PortgridCore
import Synchronization
import Testing
@testable import ScanEngine

/// `ScanEvent.hostgroupDone` through the public front door, on this machine's loopback only
/// (127.0.0.1 and 127.0.0.2, a connect scan of one closed port): a consumer that writes each group
/// out as it is done must have seen every event of its hosts, and none after.
@Suite(.serialized) struct HostgroupEventsTests {
    /// What a consumer saw, in order: a result's host, or a group done.
    enum Seen: Equatable {
        case result(IPAddress)
        case done([IPAddress])
        /// A port scan's plan, with the hosts it names (seen only when the run asks for plans).
        case planned([IPAddress])
    }

    /// `discovery`: the port scan pings its targets first (else -Pn).
    func run(ping: Bool = false, discovery: Bool = false, plans: Bool = false, defaultHostgroup: Int?,
             maxHostgroup: Int? = nil) async throws -> [Seen] {
        let closed = try LoopbackListener(listening: false)
        var timing = TimingProfile.template(4)
        timing.maxHostgroup = maxHostgroup
        var request = ScanRequest(targets: try TargetSet(parsing: ["127.0.0.1-2"]),
                                  ports: PortList(tcp: PortSet(ports: [closed.port]), udp: PortSet()),
                                  technique: ping ? .ping : .connect, timing: timing, skipDiscovery: !ping && !discovery,
                                  seed: 3)
        request.reverseDNS = .never
        request.defaultHostgroup = defaultHostgroup
        var seen: [Seen] = []
        var finished: ScanSummary?
        for await event in Scanner().run(request) {
            switch event {
            case .results(let batch): seen += batch.map { .result($0.host) }
            case .hosts(let hosts) where ping: seen += hosts.map { .result($0.address) }
            case .hostgroupDone(let hosts): seen.append(.done(Array(hosts)))
            case .started(let plan) where plans: seen.append(.planned(Array(plan.hosts)))
            case .finished(let summary): finished = summary
            default: break
            }
        }
        #expect(finished?.outcome == .completed)
        return seen
    }

    static let first = IPAddress("127.0.0.1")!
    static let second = IPAddress("127.0.0.2")!

    @Test("a port scan in groups of one says each group is done after its last result and before the next group's first")
    func portScanGroups() async throws {
        let seen = try await run(defaultHostgroup: 1)
        #expect(seen == [.result(Self.first), .done([Self.first]), .result(Self.second), .done([Self.second])])
    }

    @Test("a ping sweep in groups of one says each group is done after the hosts it found")
    func sweepGroups() async throws {
        let seen = try await run(ping: true, defaultHostgroup: 1)
        #expect(seen == [.result(Self.first), .done([Self.first]), .result(Self.second), .done([Self.second])])
    }

    @Test("a scan of one group says nothing of groups, and --max-hostgroup overrides the run's default size")
    func oneGroupSaysNothing() async throws {
        #expect(try await run(defaultHostgroup: nil) == [.result(Self.first), .result(Self.second)])
        #expect(try await run(defaultHostgroup: 1, maxHostgroup: 2) == [.result(Self.first), .result(Self.second)])
    }

    @Test("a port scan with discovery in the run's default groups pings, plans and scans each group whole before the next")
    func discoveryGroupsScannedWhole() async throws {
        let seen = try await run(discovery: true, plans: true, defaultHostgroup: 1)
        #expect(seen == [.planned([Self.first]), .result(Self.first), .done([Self.first]),
                         .planned([Self.second]), .result(Self.second), .done([Self.second])])
    }

    @Test("with --max-hostgroup a port scan pings every target first and plans the live hosts together, scanned in groups")
    func maxHostgroupPlansLiveHostsTogether() async throws {
        let seen = try await run(discovery: true, plans: true, defaultHostgroup: nil, maxHostgroup: 1)
        #expect(seen == [.planned([Self.first, Self.second]), .result(Self.first), .done([Self.first]),
                         .result(Self.second), .done([Self.second])])
    }

    @Test("a consumer that writes groups out holds the scan at each group's end until it says the group is written")
    func theScanWaitsForTheWrite() async throws {
        let closed = try LoopbackListener(listening: false)
        var request = ScanRequest(targets: try TargetSet(parsing: ["127.0.0.1-2"]),
                                  ports: PortList(tcp: PortSet(ports: [closed.port]), udp: PortSet()),
                                  technique: .connect, timing: .template(4), skipDiscovery: true, seed: 3)
        request.reverseDNS = .never
        request.defaultHostgroup = 1
        let control = ScanControl(timing: request.timing)
        control.writesHostgroups()
        // The first group is acknowledged late; the second group's first event must come after it.
        let acknowledged = Stamp()
        var secondGroupStarted: ContinuousClock.Instant?
        var groups = 0
        for await event in Scanner().run(request, control: control) {
            switch event {
            case .hostgroupDone:
                groups += 1
                if groups == 1 {
                    Task {
                        try? await Task.sleep(for: .milliseconds(300))
                        acknowledged.time.withLock { $0 = .now }
                        control.hostgroupWritten()
                    }
                } else {
                    control.hostgroupWritten()
                }
            case .results(let batch) where batch.contains(where: { $0.host == Self.second }):
                if secondGroupStarted == nil { secondGroupStarted = .now }
            default:
                break
            }
        }
        let ack = try #require(acknowledged.time.withLock { $0 })
        let started = try #require(secondGroupStarted)
        #expect(groups == 2)
        #expect(started >= ack, "the second group's result came before the first group was written")
    }
}

/// A time one task writes and another reads.
private final class Stamp: Sendable {
    let time = Mutex<ContinuousClock.Instant?>(nil)
}
