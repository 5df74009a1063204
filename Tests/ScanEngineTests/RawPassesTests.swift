import PortgridCore
import Testing
@testable import ScanEngine

/// The raw scan's pass lifecycle on a manual clock, without a packet: sending, waiting, canaries,
/// idle, and what each pass end decides.
@Suite struct RawPassesTests {
    let t0 = ContinuousClock.now
    let t4 = TimingProfile.template(4)

    func passes(items: Int, retries: Int = 1, udp: Bool = false) -> RawPasses {
        RawPasses(scheduler: PassScheduler(hostCount: 1, itemCount: items, maxRetries: retries, seed: 3),
                  profile: t4, watchesICMPLimits: udp)
    }

    func answer(_ item: Int, try tryNumber: Int, icmp: Bool = false) -> PortAnswer {
        PortAnswer(host: 0, item: item, tryNumber: tryNumber, state: .closed,
                   reason: icmp ? .portUnreach : .reset, ttl: 64, isICMPError: icmp)
    }

    /// Sends the whole pass at `now`; returns its probes.
    func sendPass(_ p: inout RawPasses, at now: ContinuousClock.Instant) -> [WorkItem] {
        var sent: [WorkItem] = []
        while let probe = p.nextPassProbe(at: now) { sent.append(probe) }
        if !sent.isEmpty { p.passProbesLeft(at: now) }
        return sent
    }

    @Test("a pass goes from sending to waiting, and a wait that only decides retries lasts the retransmit time")
    func aRetryPassWaitsOnlyTheRetransmitTime() {
        var p = passes(items: 3)
        #expect(p.phase == .sending(lastSend: nil))
        let sent1 = sendPass(&p, at: t0)
        #expect(sent1.map(\.tryNumber) == [0, 0, 0])
        #expect(p.isReadyToWait && !p.isSendingPass)
        p.startWait(sendsFinished: t0 + .milliseconds(1), now: t0 + .milliseconds(1))
        guard case .waiting(let wait) = p.phase else {
            Issue.record("not waiting: \(p.phase)")
            return
        }
        #expect(wait.start == t0 + .milliseconds(1), "the wait counts from when the last probe really left")
        #expect(wait.deadline == wait.start + t4.initialRTTTimeout, "no round trip known yet")

        let reply1 = p.answered(answer(0, try: 0), at: t0 + .milliseconds(2))
        #expect(reply1.isFirst)
        let reply2 = p.answered(answer(0, try: 0), at: t0 + .milliseconds(3))
        #expect(!reply2.isFirst, "only a port's first answer counts")
        // The round trip just measured brings the deadline forward to the retransmit floor.
        let step1 = p.advance(now: t0 + .milliseconds(3), receiveBacklogged: false)
        #expect(step1 == .none)
        let deadline = p.passDeadline ?? t0
        #expect(deadline == wait.start + RTTEstimator.retransmitFloor(t4))
        let step2 = p.advance(now: deadline, receiveBacklogged: true)
        #expect(step2 == .none, "queued replies are read first")
        let step3 = p.advance(now: deadline, receiveBacklogged: false)
        #expect(step3 == .ended([]), "nothing is final yet")
        #expect(p.phase == .sending(lastSend: nil))
        let sent2 = sendPass(&p, at: deadline)
        #expect(sent2.map(\.tryNumber) == [1, 1], "the next pass resends only the unanswered")
    }

    @Test("the last pass's end waits the full timeout and gives the silent items their state")
    func theLastPassEndsInSilence() {
        var p = passes(items: 2, retries: 0)
        _ = sendPass(&p, at: t0)
        p.startWait(sendsFinished: nil, now: t0)
        #expect(p.passDeadline == t0 + t4.initialRTTTimeout)
        let step1 = p.advance(now: t0 + t4.initialRTTTimeout - .milliseconds(1), receiveBacklogged: false)
        #expect(step1 == .none)
        let step2 = p.advance(now: t0 + t4.initialRTTTimeout, receiveBacklogged: false)
        #expect(step2
                == .ended([SilentItems(host: 0, items: [0, 1])]))
        #expect(p.isFinished)
    }

    @Test("a pause does not count against the pass's wait")
    func aPauseMovesTheWait() {
        var p = passes(items: 1, retries: 0)
        _ = sendPass(&p, at: t0)
        p.startWait(sendsFinished: nil, now: t0)
        p.pause(at: t0 + .milliseconds(10))
        p.pause(at: t0 + .milliseconds(20))
        p.resume(at: t0 + .milliseconds(110))
        #expect(p.passDeadline == t0 + t4.initialRTTTimeout + .milliseconds(100))
        p.resume(at: t0 + .milliseconds(500))
        #expect(p.passDeadline == t0 + t4.initialRTTTimeout + .milliseconds(100), "a resume without a pause moves nothing")
    }

    @Test("UDP's first pass end sends canaries, waits for them, and a host that fails them goes to a pacer: the passes go idle")
    func udpCanariesThenIdle() {
        var p = passes(items: 10, retries: 1, udp: true)
        _ = sendPass(&p, at: t0)
        // Two ports answer with an ICMP error, the rest is silence: a limiter, or a filter?
        _ = p.answered(answer(0, try: 0, icmp: true), at: t0 + .milliseconds(1))
        _ = p.answered(answer(1, try: 0, icmp: true), at: t0 + .milliseconds(1))
        p.startWait(sendsFinished: nil, now: t0)
        let end = p.passDeadline ?? t0
        guard case .sendCanaries(let canaries) = p.advance(now: end, receiveBacklogged: false) else {
            Issue.record("no canaries at the first pass end")
            return
        }
        #expect(Set(canaries.map(\.item)) == [0, 1])
        #expect(canaries.allSatisfy { $0.tryNumber == TryNumbers.canary })
        guard case .canaries(let until) = p.phase else {
            Issue.record("not in the canary phase: \(p.phase)")
            return
        }
        #expect(p.passDeadline == until, "the canaries' own deadline is the one the loop wakes for")
        let step1 = p.advance(now: until - .milliseconds(1), receiveBacklogged: false)
        #expect(step1 == .none)
        // No canary answered: the host's limiter is spent. Its unanswered ports go to a pacer.
        let step2 = p.advance(now: until, receiveBacklogged: false)
        #expect(step2 == .ended([]))
        #expect(p.phase == .idle)
        #expect(p.pacerEvent != nil, "the pacer works on")
        let paced = p.pacedProbes(now: until, limit: 10)
        #expect(paced.allSatisfy { TryNumbers.paced.contains($0.tryNumber) })
    }

    @Test("a host past its host timeout is given up with the items it left")
    func hostTimeout() {
        var p = passes(items: 4)
        p.profile.hostTimeout = .seconds(1)
        _ = sendPass(&p, at: t0)
        _ = p.answered(answer(2, try: 0), at: t0 + .milliseconds(1))
        let timedOut1 = p.expireHosts(now: t0 + .milliseconds(500))
        #expect(timedOut1.isEmpty)
        let timedOut2 = p.expireHosts(now: t0 + .seconds(1))
        #expect(timedOut2 == [RawPasses.TimedOutHost(host: 0, left: 3)])
        #expect(p.isFinished)
    }
}
