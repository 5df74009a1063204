import Packets
import PortgridCore
import Testing
@testable import ScanEngine

/// How long the raw engine waits at the end of a pass: only as long as a retransmission needs when
/// the pass end decides nothing, the profile's full timeout before any port (or host) is called
/// silent.
@Suite struct RawPassWaitTests {
    typealias Net = RawFakeNetwork
    let target = RawReplyFactory.target
    let t4 = TimingProfile.template(4)

    /// Send times of the probes to `port`, in order.
    func sends(to port: UInt16, on net: Net) -> [ContinuousClock.Instant] {
        net.sent.filter { entry in
            if case .tcp(_, let tcp) = RawReplyFactory.parse(entry.bytes) { tcp.destinationPort == port } else { false }
        }.map(\.at)
    }

    @Test func aRetransmissionWaitsOnlyAsLongAsTheRoundTripsSay() async {
        var ports: [UInt16: Net.Port] = [:]
        for port: UInt16 in 100..<110 { ports[port] = .drop }
        let net = Net(hosts: [target: Net.Host(ports: ports, otherPorts: .closed)])
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...300]), on: net)
        #expect(run.results.count == 300)
        #expect(run.results.filter { $0.state == .filtered }.map(\.port).sorted() == Array(100..<110))
        let firstTries = (100..<110).map { sends(to: UInt16($0), on: net)[0] }
        let retries = (100..<110).map { sends(to: UInt16($0), on: net)[1] }
        let lastFirstTry = firstTries.max()!, firstRetry = retries.min()!, lastRetry = retries.max()!
        // Round trips of 2 ms: the retransmit floor (a tenth of the minimum timeout) decides, not the minimum.
        #expect(firstRetry - lastFirstTry >= RTTEstimator.retransmitFloor(t4))
        #expect(firstRetry - lastFirstTry < t4.minRTTTimeout / 2)
        // The verdict: every last try had the whole minimum timeout.
        #expect(net.elapsed - (lastRetry - net.base) >= t4.minRTTTimeout)
        #expect(net.elapsed < .milliseconds(200))
    }

    @Test func withoutRetriesTheOnlyPassIsTheVerdict() async {
        let net = Net(hosts: [target: Net.Host(ports: [7: .drop], otherPorts: .closed)])
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...50]), on: net,
                                         timing: RawEngineRun.timing(retries: 0))
        #expect(run.state(7)! == (.filtered, .noResponse))
        let probes = sends(to: 7, on: net)
        #expect(probes.count == 1)
        #expect(net.elapsed - (probes[0] - net.base) >= t4.minRTTTimeout)
    }

    @Test func anAnsweredRetransmissionMakesItsPassEndShortAndTheLastOneStaysFull() async {
        // 20-24 answer only their retransmission: the allowance grows to a third try, which port 9
        // (dropped) gets. The second pass's end looked final when it was fully sent; the answers
        // that came in during its wait made it a mere retransmission decision.
        var ports: [UInt16: Net.Port] = [9: .drop]
        for port: UInt16 in 20...24 { ports[port] = .closedAfterALoss }
        let net = Net(hosts: [target: Net.Host(ports: ports, otherPorts: .closed)])
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...200]), on: net)
        #expect(run.state(9)! == (.filtered, .noResponse))
        #expect((20...24).allSatisfy { run.state(UInt16($0))! == (.closed, .reset) })
        let probes = sends(to: 9, on: net)
        #expect(probes.count == 3)
        for (earlier, later) in zip(probes, probes.dropFirst()) {
            #expect(later - earlier < t4.minRTTTimeout / 2)
        }
        #expect(net.elapsed - (probes.last! - net.base) >= t4.minRTTTimeout)
    }

    @Test func aDeadHostIsCalledDownOnlyAfterItsLastProbeHadTheFullTimeout() async {
        let base: UInt32 = 0xC612_0100
        let net = Net(hosts: [base + 1: Net.Host(), base + 2: Net.Host()])
        let targets = (1...6).map { base + UInt32($0) }
        let run = await RawEngineRun.run(.discovery, hosts: targets, on: net)
        #expect(run.upHosts == [0, 1])
        #expect(run.hosts.filter { $0.status == .down }.count == 4)
        let toDead = net.sent.filter { RawReplyFactory.parse($0.bytes).ip.destination == base + 3 }.map(\.at)
        #expect(toDead.count == 2 * DiscoveryProbes.all.count)
        #expect(toDead.last! - toDead.first! < t4.minRTTTimeout)
        #expect(net.elapsed - (toDead.last! - net.base) >= t4.minRTTTimeout)
    }

    @Test("a slow first pass sends dropped ports their second try while it is still sending, once each, and every verdict waits the full timeout")
    func earlyRetriesGoOutDuringASlowFirstPass() async {
        // 10,000 probes a second: the first pass of 3,000 ports takes 0.3 s, thirty times the
        // retransmit time its round trips give. Round trips of 50 us, shorter than the gap between
        // probes: the host is measured while the pass sends (it times only its newest few probes
        // until it has a sample, and with 2 ms round trips at this rate every one of them gave way
        // to a newer probe before its answer came, so the pass had only the initial timeout).
        var ports: [UInt16: Net.Port] = [:]
        let dropped = Array(stride(from: 100, to: 3000, by: 100)).map(UInt16.init)
        for port in dropped { ports[port] = .drop }
        let net = Net(hosts: [target: Net.Host(ports: ports, otherPorts: .closed, rtt: .microseconds(50))])
        let run = await RawEngineRun.run(.ports(.syn), ports: PortSet([1...3000]), on: net,
                                         timing: RawEngineRun.timing(maxRate: 10_000))
        #expect(run.results.count == 3000)
        #expect(run.results.filter { $0.state == .filtered }.map(\.port).sorted() == dropped)
        #expect(run.results.filter { $0.state == .closed }.count == 3000 - dropped.count)
        let tries = dropped.map { sends(to: $0, on: net) }
        #expect(tries.allSatisfy { $0.count == 2 }, "one retransmission each, as the allowance says")
        let firstPassEnd = net.sent.map(\.at).sorted()[2999]
        let early = tries.filter { $0[1] < firstPassEnd }
        #expect(early.count > dropped.count / 2, "most second tries left before the first pass was fully sent")
        for probes in tries {
            #expect(probes[1] - probes[0] >= RTTEstimator.retransmitFloor(t4))
        }
        let lastRetry = tries.map { $0[1] }.max()!
        #expect(net.elapsed - (lastRetry - net.base) >= t4.minRTTTimeout)
        #expect(!net.spun)
    }

    @Test func udpKeepsTheFullWaitAfterItsFirstPass() async {
        // The first pass end reads the limiter's signs: it waits the whole timeout.
        let net = Net(hosts: [target: Net.Host(ports: [55: .drop], otherPorts: .closed)])
        _ = await RawEngineRun.run(.ports(.udp), ports: PortSet([40...70]), on: net)
        let probes = net.sent.filter { entry in
            if case .udp(_, let udp, _) = RawReplyFactory.parse(entry.bytes) { udp.destinationPort == 55 } else { false }
        }.map(\.at)
        #expect(probes.count >= 2)
        #expect(probes[1] - probes[0] >= t4.minRTTTimeout)
    }
}
