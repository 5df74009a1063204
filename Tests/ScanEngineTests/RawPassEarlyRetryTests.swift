import PortgridCore
import Testing
@testable import ScanEngine

/// Early retries on a hand-driven clock: the second pass's cursor runs behind the first pass's,
/// and an unanswered port's second try goes out once its first is older than the retransmit
/// timeout, while the first pass is still sending. Nothing about the verdict moves.
@Suite struct RawPassEarlyRetryTests {
    let t0 = ContinuousClock.now
    let t4 = TimingProfile.template(4)
    let ms = Duration.milliseconds

    func passes(items: Int, retries: Int = 6, watched: Bool = false) -> RawPasses {
        RawPasses(scheduler: PassScheduler(hostCount: 1, itemCount: items, maxRetries: retries, seed: 7),
                  profile: t4, watchesICMPLimits: watched)
    }

    func reset(_ item: Int, try tryNumber: Int) -> PortAnswer {
        PortAnswer(host: 0, item: item, tryNumber: tryNumber, state: .closed, reason: .reset, ttl: 64, isICMPError: false)
    }

    /// Sends up to `count` probes of the pass at `now` as one batch the sender takes whole.
    func sendBatch(_ p: inout RawPasses, _ count: Int, at now: ContinuousClock.Instant) -> [WorkItem] {
        var sent: [WorkItem] = []
        while sent.count < count, let probe = p.nextPassProbe(at: now) { sent.append(probe) }
        if !sent.isEmpty { p.passProbesLeft(at: now) }
        p.sendsTaken(at: now)
        return sent
    }

    /// A first batch at t0, one answer to it 1 ms later (the round trip brings the retransmit
    /// timeout down to its floor, 10 ms at T4), and a second batch at t0+2 ms.
    func twoBatchesWithOneAnswer(_ p: inout RawPasses) -> (first: [WorkItem], second: [WorkItem]) {
        let first = sendBatch(&p, 4, at: t0)
        #expect(p.answered(reset(first[0].item, try: 0), at: t0 + ms(1)).rtt == ms(1))
        let second = sendBatch(&p, 3, at: t0 + ms(2))
        return (first, second)
    }

    @Test("an early retry goes only to unanswered ports whose first try is older than the retransmit timeout")
    func earlyRetriesWaitForTheirFirstTryToAge() {
        var p = passes(items: 10)
        let (first, second) = twoBatchesWithOneAnswer(&p)
        let floor = RTTEstimator.retransmitFloor(t4)
        // The first batch's send is bounded by the checkpoint taken when the second was taken (t0+2 ms).
        let due = t0 + ms(2) + floor
        #expect(p.earlyRetries(at: due - ms(1), limit: 100).isEmpty, "no first try is old enough yet")
        #expect(p.earlyRetryDue == due, "the loop wakes when the first one is")
        let retries = p.earlyRetries(at: due, limit: 100)
        #expect(retries.map(\.item) == first.dropFirst().map(\.item), "the first batch's unanswered ports, in walk order")
        #expect(retries.allSatisfy { $0.tryNumber == 1 })
        // The second batch has no checkpoint past it yet: its send time is not known to be old enough.
        #expect(p.earlyRetries(at: due + ms(100), limit: 100).isEmpty)
        #expect(p.earlyRetryDue == nil)
        _ = sendBatch(&p, 0, at: t0 + ms(120))
        let later = p.earlyRetries(at: t0 + ms(120) + floor, limit: 100)
        #expect(later.map(\.item) == second.map(\.item), "each port's second try goes once, in walk order")
        #expect(p.earlyRetries(at: t0 + ms(500), limit: 100).isEmpty)
    }

    @Test("early retries come at most `limit` at a time and the rest are due at once")
    func earlyRetriesRespectTheBatchLimit() {
        var p = passes(items: 10)
        let (first, _) = twoBatchesWithOneAnswer(&p)
        let late = t0 + ms(50)
        let two = p.earlyRetries(at: late, limit: 2)
        #expect(two.map(\.item) == Array(first.dropFirst().prefix(2)).map(\.item))
        #expect(p.earlyRetryDue == late)
        #expect(p.earlyRetries(at: late, limit: 0).isEmpty)
        #expect(p.earlyRetries(at: late, limit: 5).map(\.item) == [first[3].item])
    }

    @Test("no early retry where the allowance is no retry, and none beyond the second try")
    func earlyRetriesStayWithinTheAllowance() {
        var none = passes(items: 10, retries: 0)
        _ = twoBatchesWithOneAnswer(&none)
        _ = sendBatch(&none, 0, at: t0 + ms(2))
        #expect(!none.mayRetryEarly)
        #expect(none.earlyRetries(at: t0 + ms(500), limit: 100).isEmpty)

        var p = passes(items: 10, retries: 6)
        let (first, _) = twoBatchesWithOneAnswer(&p)
        let retries = p.earlyRetries(at: t0 + ms(50), limit: 100)
        #expect(retries.count == 3)
        // An early retry answered is evidence of loss: the allowance grows to a third try, which
        // goes only in its own pass (not early), and no port gets a second one twice.
        #expect(p.answered(reset(first[1].item, try: 1), at: t0 + ms(51)).isFirst, "an answer to an early try counts")
        #expect(p.scheduler.allowedPasses(0) == 2)
        _ = sendBatch(&p, 0, at: t0 + ms(60))
        let rest = p.earlyRetries(at: t0 + ms(200), limit: 100)
        #expect(rest.allSatisfy { $0.tryNumber == 1 })
        #expect(Set(rest.map(\.item)).isDisjoint(with: retries.map(\.item)))
    }

    @Test("a scan that watches ICMP limits retries nothing early")
    func watchedScansRetryNothingEarly() {
        var p = passes(items: 10, watched: true)
        _ = twoBatchesWithOneAnswer(&p)
        _ = sendBatch(&p, 0, at: t0 + ms(2))
        #expect(!p.retriesEarly && !p.mayRetryEarly)
        #expect(p.earlyRetries(at: t0 + ms(500), limit: 100).isEmpty)
    }

    @Test("the second pass skips the ports retried early and sends only the rest")
    func theSecondPassSkipsEarlyRetries() {
        var p = passes(items: 10)
        let (first, second) = twoBatchesWithOneAnswer(&p)
        let early = p.earlyRetries(at: t0 + ms(20), limit: 100)
        #expect(early.map(\.item) == first.dropFirst().map(\.item))
        let third = sendBatch(&p, 10, at: t0 + ms(20))
        #expect(p.isReadyToWait)
        p.startWait(sendsFinished: nil, now: t0 + ms(20))
        let end = p.passDeadline ?? t0
        #expect(p.advance(now: end, receiveBacklogged: false) == .ended([]), "the first pass end decides no silence")
        var secondPass: [WorkItem] = []
        while let probe = p.nextPassProbe(at: end) { secondPass.append(probe) }
        #expect(secondPass.allSatisfy { $0.tryNumber == 1 })
        #expect(Set(secondPass.map(\.item)) == Set((second + third).map(\.item)), "each unanswered port has had one second try")
    }

    @Test("a port retried early is called silent only the full timeout after the second pass's last probe")
    func silenceWaitsTheFullTimeoutAfterTheLastTry() {
        var p = passes(items: 4, retries: 1)
        let first = sendBatch(&p, 4, at: t0)
        #expect(p.answered(reset(first[0].item, try: 0), at: t0 + ms(2)).isFirst)
        p.startWait(sendsFinished: t0 + ms(1), now: t0 + ms(2))
        // The pass's wait and the early retries agree: the first tries are due at the wait's end.
        let firstEnd = p.passDeadline ?? t0
        let early = p.earlyRetries(at: firstEnd, limit: 100)
        #expect(early.map(\.item) == first.dropFirst().map(\.item))
        #expect(p.advance(now: firstEnd, receiveBacklogged: false) == .ended([]))
        // Every second try already left: the second pass has nothing to send, and its wait counts
        // from its start, after the last early retry, for the full timeout: this end is final.
        #expect(p.nextPassProbe(at: firstEnd) == nil)
        #expect(p.isReadyToWait)
        p.startWait(sendsFinished: nil, now: firstEnd)
        let last = p.passDeadline ?? t0
        #expect(last == firstEnd + t4.minRTTTimeout)
        #expect(p.advance(now: last - ms(1), receiveBacklogged: false) == .none)
        #expect(p.advance(now: last, receiveBacklogged: false)
                == .ended([SilentItems(host: 0, items: first.dropFirst().map(\.item).sorted())]))
        #expect(p.isFinished)
    }

    @Test("a checkpoint bounds every position before it by its time, and readers only move forward")
    func checkpointsBoundPositionsBeforeThem() {
        var checkpoints = SendCheckpoints()
        checkpoints.record(before: 256, at: t0)
        checkpoints.record(before: 256, at: t0 + ms(1))
        checkpoints.record(before: 512, at: t0 + ms(2))
        #expect(checkpoints.count == 2, "a checkpoint that does not move the position on is dropped")
        #expect(checkpoints.sentBy(0) == t0)
        #expect(checkpoints.sentBy(255) == t0)
        #expect(checkpoints.sentBy(256) == t0 + ms(2))
        #expect(checkpoints.sentBy(512) == nil, "not known to be sent")
        checkpoints.record(before: 700, at: t0 + ms(3))
        #expect(checkpoints.sentBy(600) == t0 + ms(3))
        #expect(checkpoints.count == 1)
    }
}
