import PortgridCore
import Testing
@testable import ScanEngine

/// The whole raw engine (passes, retries, pacing, reporting) against a simulated network on a
/// manual clock.
@Suite struct RawEngineTests {
    typealias Net = RawFakeNetwork
    let target = RawReplyFactory.target

    func network(_ ports: [UInt16: Net.Port], other: Net.Port = .closed, limiter: Net.Limiter? = nil,
                 loss: Double = 0) -> Net {
        var host = Net.Host(ports: ports, otherPorts: other)
        host.limiter = limiter
        return Net(hosts: [target: host], loss: loss)
    }

    @Test func synScanReportsEveryStateAndRetriesOnlyTheSilent() async {
        let net = network([22: .open, 80: .open, 23: .closed, 25: .drop, 26: .drop,
                           27: .reject(code: 13), 28: .reject(code: 1, router: RawReplyFactory.router)])
        let ports = PortSet(ports: [22, 80, 23, 25, 26, 27, 28])
        let run = await RawEngineRun.run(.ports(.syn), ports: ports, on: net)
        #expect(run.error == nil)
        #expect(run.state(22)! == (.open, .synAck))
        #expect(run.state(80)! == (.open, .synAck))
        #expect(run.state(23)! == (.closed, .reset))
        #expect(run.state(25)! == (.filtered, .noResponse))
        #expect(run.state(27)! == (.filtered, .adminProhibited))
        #expect(run.state(28)! == (.filtered, .hostUnreach))
        #expect(run.results.count == 7)
        // One retransmission for each silent port, none for the answered ones.
        #expect(net.probes(to: 25) == 2 && net.probes(to: 26) == 2)
        #expect(net.probes(to: 22) == 1 && net.probes(to: 27) == 1)
        #expect(run.probesSent == 9)
        #expect(run.results.allSatisfy { $0.technique == .syn && $0.proto == .tcp && $0.replyTTL != nil || $0.state == .filtered })
    }

    @Test func lossIsRecoveredByRetriesThatGrowWithLateAnswers() async {
        let net = network([:], other: .closed, loss: 0.3)
        let ports = PortSet([1...400])
        let run = await RawEngineRun.run(.ports(.syn), ports: ports, on: net)
        #expect(run.results.count == 400)
        let filtered = run.results.filter { $0.state != .closed }
        // 30% loss each way? Only outbound here: a port is lost for good only when all its tries are.
        #expect(filtered.count <= 1, "\(filtered.map(\.port))")
        #expect(run.probesSent > 400)
    }

    @Test(arguments: [Technique.fin, .null, .xmas])
    func stealthScans(technique: Technique) async {
        let net = network([22: .open, 23: .closed, 24: .drop, 25: .reject(code: 13)])
        let run = await RawEngineRun.run(.ports(technique), ports: PortSet(ports: [22, 23, 24, 25]), on: net)
        #expect(run.state(22)! == (.openFiltered, .noResponse))
        #expect(run.state(23)! == (.closed, .reset))
        #expect(run.state(24)! == (.openFiltered, .noResponse))
        #expect(run.state(25)! == (.filtered, .adminProhibited))
    }

    @Test func ackScanMapsFirewalls() async {
        let net = network([22: .open, 23: .closed, 24: .drop, 25: .reject(code: 10)])
        let run = await RawEngineRun.run(.ports(.ack), ports: PortSet(ports: [22, 23, 24, 25]), on: net)
        #expect(run.state(22)! == (.unfiltered, .reset))
        #expect(run.state(23)! == (.unfiltered, .reset))
        #expect(run.state(24)! == (.filtered, .noResponse))
        #expect(run.state(25)! == (.filtered, .hostProhibited))
    }

    @Test func udpWithoutALimiterNeedsNoPacing() async {
        let net = network([53: .udpAnswers, 54: .udpSilent, 55: .drop, 56: .reject(code: 13)], other: .closed)
        let ports = PortSet([40...70])
        let run = await RawEngineRun.run(.ports(.udp), ports: ports, on: net)
        #expect(run.state(53)! == (.open, .udpResponse))
        #expect(run.state(54)! == (.openFiltered, .noResponse))
        #expect(run.state(55)! == (.openFiltered, .noResponse))
        #expect(run.state(56)! == (.filtered, .adminProhibited))
        #expect(run.results.filter { $0.state == .closed }.count == 27)
        #expect(net.elapsed < .seconds(5))
    }

    @Test func udpPacesToALinuxICMPLimiterSoClosedPortsAreNotMistakenForSilent() async {
        // nmap's hard case: one port-unreachable a second after a burst of six.
        var ports: [UInt16: Net.Port] = [53: .udpAnswers, 161: .udpAnswers]
        for port: UInt16 in [1000, 1001, 1002] { ports[port] = .udpSilent }
        for port: UInt16 in 2000..<2010 { ports[port] = .drop }
        let net = network(ports, other: .closed, limiter: Net.Limiter(rate: 1, burst: 6))
        let scanned = PortSet(ports: [53, 161, 1000, 1001, 1002] + Array(2000..<2010) + Array(3000..<3085))
        let run = await RawEngineRun.run(.ports(.udp), ports: scanned, on: net)
        #expect(run.results.count == 100)
        #expect(run.state(53)! == (.open, .udpResponse))
        #expect(run.state(161)! == (.open, .udpResponse))
        let closed = run.results.filter { $0.state == .closed }.map(\.port)
        #expect(closed.count == 85, "closed found: \(closed.count)")
        let openFiltered = Set(run.results.filter { $0.state == .openFiltered }.map(\.port))
        #expect(openFiltered == Set([1000, 1001, 1002] + Array(2000..<2010)))
        // 85 errors at one a second cannot take less than ~80 s; pacing should not take much more.
        print("UDP, 100 ports, Linux ICMP limiter: \(net.elapsed) simulated, \(run.probesSent) probes")
        #expect(net.elapsed < .seconds(110))
    }

    @Test func udpFindsClosedPortsEvenWhenAnEarlierScanSpentTheHostsErrors() async {
        // The first pass draws no error at all: the bucket is empty when the scan starts.
        var limiter = Net.Limiter(rate: 1, burst: 6)
        limiter.tokens = 0
        let net = network([7: .udpAnswers, 8: .drop], other: .closed, limiter: limiter)
        let run = await RawEngineRun.run(.ports(.udp), ports: PortSet([1...20]), on: net)
        #expect(run.state(7)! == (.open, .udpResponse))
        #expect(run.state(8)! == (.openFiltered, .noResponse))
        #expect(run.results.filter { $0.state == .closed }.count == 18)
    }

    @Test func aUDPHostThatDropsEverythingCostsOneRefillWait() async {
        let net = network([:], other: .drop, limiter: Net.Limiter(rate: 1, burst: 6))
        let run = await RawEngineRun.run(.ports(.udp), ports: PortSet([1...50]), on: net)
        #expect(run.results.count == 50)
        #expect(run.results.allSatisfy { $0.state == .openFiltered && $0.reason == .noResponse })
        #expect(net.elapsed < .seconds(2))
    }

    @Test func udpLearnsAFastLimiterToo() async {
        let net = network([:], other: .closed, limiter: Net.Limiter(rate: 1000, burst: 50))
        let run = await RawEngineRun.run(.ports(.udp), ports: PortSet([1...3000]), on: net)
        #expect(run.results.count == 3000)
        #expect(run.results.allSatisfy { $0.state == .closed }, "\(run.results.filter { $0.state != .closed }.count) not closed")
        print("UDP, 3000 closed ports, 1000/s limiter: \(net.elapsed) simulated, \(run.probesSent) probes")
        #expect(net.elapsed < .seconds(8))
    }

    @Test func discoveryFindsHostsByPingOrByTCP() async {
        var hosts: [UInt32: Net.Host] = [:]
        let base: UInt32 = 0xC612_0100
        hosts[base + 1] = Net.Host()
        hosts[base + 2] = Net.Host()
        var pingless = Net.Host(ports: [80: .closed], otherPorts: .drop)
        pingless.answersPing = false
        hosts[base + 3] = pingless
        let net = Net(hosts: hosts)
        let targets = (1...20).map { base + UInt32($0) }
        let run = await RawEngineRun.run(.discovery, hosts: targets, on: net)
        #expect(run.upHosts == [0, 1, 2])
        let up = run.hosts.filter { $0.status == .up }
        #expect(up.count == 3)
        #expect(up.first { $0.address == .v4(IPv4Address(base + 1)) }?.reason == .echoReply)
        #expect(up.first { $0.address == .v4(IPv4Address(base + 3)) }?.reason == .reset)
        #expect(run.hosts.filter { $0.status == .down }.count == 17)
        #expect(run.progress.last?.completed == 20)
        // Dead hosts: a try and one retry each, three probes a try.
        #expect(run.probesSent == 3 * 20 + 3 * 17)
    }

    @Test func maxRateIsHonoured() async {
        let net = network([:], other: .closed)
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...300]),
                                         on: net, timing: RawEngineRun.timing(maxRate: 100))
        #expect(run.results.count == 300)
        let first = net.sent.first!.at, last = net.sent.last!.at
        // 300 probes at 100/s: about 3 s from first to last (a tiny initial burst is allowed).
        #expect(last - first >= .milliseconds(2900))
    }

    @Test func cancellingStopsSendingAtOnce() async {
        let net = network([:], other: .drop)
        let control = ScanControl(timing: RawEngineRun.timing())
        net.afterSend = { network in if network.sent.count >= 200 { control.cancel() } }
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...5000]), on: net, control: control)
        #expect(run.error == nil)
        #expect(net.sent.count < 200 + RawProbeEngine.batchSize)
        #expect(run.results.count < 5000)
    }

    @Test func pausingHoldsProbesAndTheWaitDoesNotCountThePause() async {
        let net = network([:], other: .drop)
        let control = ScanControl(timing: RawEngineRun.timing())
        var pausedAt: ContinuousClock.Instant?
        net.afterSend = { network in
            if pausedAt == nil && network.sent.count >= 100 {
                control.setPaused(true)
                pausedAt = network.now
            }
        }
        net.onWait = { network in
            if let pausedAt, network.now - pausedAt > .seconds(30) { control.setPaused(false) }
        }
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...300]), on: net, control: control)
        #expect(run.results.count == 300)
        #expect(run.results.allSatisfy { $0.state == .filtered })
        let duringPause = net.sent.filter { entry in
            guard let pausedAt else { return false }
            return entry.at > pausedAt && entry.at < pausedAt + .seconds(30)
        }
        #expect(duringPause.isEmpty)
    }
}

extension RawEngineTests {
    @Test func aHostTimeoutGivesUpOnTheHostAndSaysSo() async {
        // Every probe dropped and retries allowed: without the timeout the host would take passes.
        let net = network([:], other: .drop)
        var timing = RawEngineRun.timing(maxRate: 100, retries: 6)
        timing.hostTimeout = .seconds(1)
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...1000]), on: net, timing: timing)
        #expect(run.results.count < 1000)
        let notices = run.events.compactMap { if case .notice(let notice) = $0 { notice.message } else { nil } }
        #expect(notices.contains { $0.contains("timed out") })
        #expect(run.progress.last?.completed == 1000)
        #expect(net.elapsed < .seconds(2))
    }

    @Test("on a 10 ms round trip a fast first pass measures the host while sending, so dropped ports get their second try before the pass ends")
    func aFastPassOnARealRoundTripRetriesEarly() async {
        // 1,000 ports at 10,000 a second (a pass of 100 ms, ten round trips), one in 50 dropped.
        let dropped = Set(stride(from: UInt16(50), through: 1_000, by: 50))
        var host = Net.Host(ports: Dictionary(uniqueKeysWithValues: dropped.map { ($0, Net.Port.drop) }))
        host.rtt = .milliseconds(10)
        let net = Net(hosts: [target: host])
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...1_000]), on: net,
                                         timing: RawEngineRun.timing(maxRate: 10_000))
        #expect(run.results.count == 1_000)
        #expect(run.results.filter { $0.state == .filtered }.map(\.port).sorted() == dropped.sorted())
        // When the pass's last first try left, and when the first second try did.
        var seen = Set<UInt16>()
        var lastFirst: ContinuousClock.Instant?, firstRetry: ContinuousClock.Instant?
        for probe in net.sent {
            guard case .tcp(_, let tcp) = RawReplyFactory.parse(probe.bytes) else { continue }
            if seen.insert(tcp.destinationPort).inserted { lastFirst = probe.at }
            else if firstRetry == nil { firstRetry = probe.at }
        }
        // Unmeasured, the host's retransmit timeout would be T4's initial 500 ms: no retry until
        // after the pass. Measured within the first round trips, it is a few of them.
        guard let lastFirst, let firstRetry else {
            Issue.record("no retransmission")
            return
        }
        #expect(firstRetry < lastFirst, "first retry \(firstRetry - net.base), last first try \(lastFirst - net.base)")
    }
}
