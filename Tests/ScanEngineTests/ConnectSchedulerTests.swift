import PortgridCore
import Testing
@testable import ScanEngine

/// The connect scan's decisions on a manual clock, without a socket or an epoll set: the loop's
/// events go in by hand (a slot number stands for a socket) and what the scheduler decides comes out.
@Suite struct ConnectSchedulerTests {
    let t0 = ContinuousClock.now
    let host = IPAddress("198.18.0.2")!
    let far = Duration.seconds(1000)

    func timing(retries: Int = 1, parallelism: Int? = nil, hostTimeout: Duration? = nil) -> TimingProfile {
        var timing = TimingProfile.template(4)
        timing.maxRetries = retries
        timing.maxParallelism = parallelism
        timing.hostTimeout = hostTimeout
        return timing
    }

    func scheduler(ports: [UInt16], timing: TimingProfile? = nil) -> ConnectScheduler {
        let plan = ScanPlan(technique: .connect, hosts: [host], ports: PortSet(ports: ports), timing: timing ?? self.timing())
        return ConnectScheduler(plan: plan, seed: 7, walk: ProbeCursor(count: UInt64(plan.totalWork)), share: .whole,
                                fileLimit: 4096, now: t0)
    }

    func slot(_ number: CInt) -> SocketDescriptor { SocketDescriptor(rawValue: number) }

    /// When the next deadline falls, read off the wait the scheduler asks for.
    func nextDeadline(_ s: ConnectScheduler, from now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        now + s.waitTime(now: now, paused: true, longest: far)
    }

    @Test("a silent port is sent again after the retransmit wait, then called filtered after its last try's full timeout")
    func silenceIsRetriedThenFiltered() throws {
        var s = scheduler(ports: [80])
        let next1 = s.nextProbe(now: t0)
        let first = try #require(next1)
        #expect(first.attempt == 0)
        let step1 = s.launched(first, slot: slot(10), result: nil, now: t0)
        #expect(step1 == .inFlight)
        let next2 = s.nextProbe(now: t0)
        #expect(next2 == nil)
        let retryAt = nextDeadline(s, from: t0)
        let expired1 = s.popExpired(now: retryAt - .milliseconds(1))
        #expect(expired1 == nil, "nothing is given up before its deadline")
        let expired2 = s.popExpired(now: retryAt)
        #expect(expired2 == slot(10), "the silent try's socket comes back for reuse")
        #expect(s.output.results.isEmpty, "one silent try decides nothing")

        let next3 = s.nextProbe(now: retryAt)
        let second = try #require(next3)
        #expect(second.port == 80 && second.attempt == 1)
        let step2 = s.launched(second, slot: slot(10), result: nil, now: retryAt)
        #expect(step2 == .inFlight)
        let verdictAt = nextDeadline(s, from: retryAt)
        #expect(verdictAt - retryAt == timing().initialRTTTimeout, "the last try waits the full timeout")
        let expired3 = s.popExpired(now: verdictAt)
        #expect(expired3 == slot(10))
        #expect(s.output.results.map(\.state) == [.filtered])
        #expect(s.output.results.first?.reason == .noResponse)
        #expect(s.output.sent == 2)
        #expect(s.isDone)
    }

    @Test("a plain refusal's socket is kept for reuse; one with an ICMP report behind it is closed")
    func refusalsDecideTheSocketsFate() throws {
        var s = scheduler(ports: [23, 24])
        var fates: [UInt16: SocketFate] = [:]
        var number: CInt = 10
        while let probe = s.nextProbe(now: t0) {
            let step = s.launched(probe, slot: slot(number), result: nil, now: t0)
            #expect(step == .inFlight)
            number += 1
        }
        for fd in 10..<number {
            let inFlight1 = s.takeInFlight(slot(fd))
            let entry = try #require(inFlight1)
            let icmp = entry.probe.port == 24
                ? ICMPReport(family: .icmp, type: 3, code: 3, errno: .connectionRefused, offender: nil) : nil
            fates[entry.probe.port] = s.answered(entry, result: .failed(.connectionRefused, icmp: icmp),
                                                 now: t0 + .milliseconds(2))
            let inFlight2 = s.takeInFlight(slot(fd))
            #expect(inFlight2 == nil, "an answer is read once")
        }
        #expect(fates[23] == .reuse(mayHoldReports: false))
        #expect(fates[24] == .close)
        let byPort = Dictionary(uniqueKeysWithValues: s.output.results.map { ($0.port, $0) })
        #expect(byPort[23]?.state == .closed && byPort[23]?.reason == .connRefused)
        #expect(byPort[24]?.state == .filtered && byPort[24]?.reason == .portUnreach)
        #expect(byPort[23]?.rtt == .milliseconds(2))
        #expect(s.isDone)
    }

    @Test("a connect that reaches our own socket proves nothing: the probe goes again, nothing is reported")
    func aSelfConnectIsRetried() throws {
        var s = scheduler(ports: [40000])
        let next1 = s.nextProbe(now: t0)
        let probe = try #require(next1)
        let step = s.launched(probe, slot: slot(10), result: .connected(selfConnect: true), now: t0)
        #expect(step == .finished(.close))
        #expect(s.output.results.isEmpty)
        let next2 = s.nextProbe(now: t0)
        #expect(next2 == probe)
    }

    @Test("a local shortage ends the burst and puts the probe back after a growing back-off, not as a try")
    func aShortageBacksOff() throws {
        var s = scheduler(ports: [80])
        let next1 = s.nextProbe(now: t0)
        let probe = try #require(next1)
        let step = s.launched(probe, slot: slot(10), result: .failed(.tooManyOpenFiles, icmp: nil), now: t0)
        #expect(step == .shortage)
        #expect(s.output.sent == 0)
        let next2 = s.nextProbe(now: t0)
        #expect(next2 == nil, "not before the back-off")
        let next3 = s.nextProbe(now: t0 + .milliseconds(1))
        let again = try #require(next3)
        #expect(again == probe, "same try: the shortage was ours, not the target's")
        s.noSocket(for: again, now: t0 + .milliseconds(1))
        let next4 = s.nextProbe(now: t0 + .milliseconds(2))
        #expect(next4 == nil, "the back-off doubles")
        let next5 = s.nextProbe(now: t0 + .milliseconds(3))
        #expect(next5 == probe)
    }

    @Test("a burst is bounded by the parallelism limit and by the probes in flight")
    func burstsRespectTheWindow() throws {
        var s = scheduler(ports: Array(1...100), timing: timing(parallelism: 5))
        let burst = s.burstSize(now: t0, closesPending: 0)
        #expect(burst == 5)
        for number in 0..<CInt(burst) {
            let next = s.nextProbe(now: t0)
            let probe = try #require(next)
            _ = s.launched(probe, slot: slot(10 + number), result: nil, now: t0)
        }
        let burst1 = s.burstSize(now: t0, closesPending: 0)
        #expect(burst1 == 0, "the window is full")
        let inFlight = s.takeInFlight(slot(10))
        let entry = try #require(inFlight)
        _ = s.answered(entry, result: .failed(.connectionRefused, icmp: nil), now: t0 + .milliseconds(1))
        let burst2 = s.burstSize(now: t0 + .milliseconds(1), closesPending: 0)
        #expect(burst2 == 1)
        let burst3 = s.burstSize(now: t0 + .milliseconds(1), closesPending: 1)
        #expect(burst3 == 0, "sockets being closed hold descriptors")
        var big = scheduler(ports: Array(1...1000))
        let bigBurst = big.burstSize(now: t0, closesPending: 0)
        #expect(bigBurst == ConnectScheduler.maxBurst)
    }

    @Test("a host past its host timeout is given up: its probes in flight are abandoned and a notice counts what was left")
    func hostTimeoutGivesTheHostUp() throws {
        var s = scheduler(ports: [1, 2, 3], timing: timing(hostTimeout: .seconds(1)))
        let next1 = s.nextProbe(now: t0)
        let probe = try #require(next1)
        _ = s.launched(probe, slot: slot(10), result: nil, now: t0)
        s.expireHosts(now: t0 + .milliseconds(999))
        #expect(s.output.abandoned.isEmpty, "not yet")
        s.expireHosts(now: t0 + .seconds(2))
        #expect(s.output.abandoned == [slot(10)])
        #expect(s.output.completed == 3)
        #expect(s.output.notices.count == 1)
        #expect(s.output.notices.first?.message.contains("3 ports left unscanned") == true)
        let inFlight = s.takeInFlight(slot(10))
        #expect(inFlight == nil, "an abandoned probe's late answer is ignored")
        let next2 = s.nextProbe(now: t0 + .seconds(2))
        #expect(next2 == nil)
        #expect(s.isDone)
        s.outputDelivered()
        #expect(s.output.isEmpty)
    }

    @Test("the first round trip brings forward the deadlines of probes sent before it")
    func theFirstAnswerTightensDeadlines() throws {
        var s = scheduler(ports: [1, 2])
        let next1 = s.nextProbe(now: t0), next2 = s.nextProbe(now: t0)
        let a = try #require(next1), b = try #require(next2)
        _ = s.launched(a, slot: slot(10), result: nil, now: t0)
        _ = s.launched(b, slot: slot(11), result: nil, now: t0)
        #expect(nextDeadline(s, from: t0) == t0 + timing().initialRTTTimeout)
        let inFlight = s.takeInFlight(slot(10))
        let first = try #require(inFlight)
        _ = s.answered(first, result: .failed(.connectionRefused, icmp: nil), now: t0 + .milliseconds(1))
        #expect(nextDeadline(s, from: t0) < t0 + timing().initialRTTTimeout / 2)
    }
}
