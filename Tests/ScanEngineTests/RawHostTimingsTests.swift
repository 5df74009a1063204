import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct HostTimingsTests {
    let t4 = TimingProfile.template(4)

    @Test func aHostWithoutSamplesBorrowsTheOverallEstimate() {
        var timings = HostTimings(hostCount: 2)
        #expect(timings.retransmitTimeout(host: 1, t4) == t4.initialRTTTimeout)
        let start = ContinuousClock.now
        timings.sent(WorkItem(host: 0, item: 3, tryNumber: 0), at: start, profile: t4)
        _ = timings.answered(host: 0, item: 3, tryNumber: 0, at: start + .milliseconds(2))
        // 2 ms round trips: the verdict waits the profile's minimum, a retransmission a tenth of it.
        #expect(timings.timeout(host: 1, t4) == t4.minRTTTimeout)
        #expect(timings.retransmitTimeout(host: 1, t4) == RTTEstimator.retransmitFloor(t4))
        #expect(timings.retransmitTimeout(host: 0, t4) == RTTEstimator.retransmitFloor(t4))
    }

    @Test func aFewTimedProbesPerHostEachFreedByItsAnswerOrItsTimeout() {
        var timings = HostTimings(hostCount: 1)
        let start = ContinuousClock.now
        let slots = HostTimings.timedPerHost
        for item in 0 ..< slots + 1 {
            timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start, profile: t4)
        }
        // The host had no sample yet: the probe past the slots took the oldest one's place, so the
        // first probe's answer is no sample; nor is an answer to another try of a timed item.
        #expect(timings.answered(host: 0, item: 0, tryNumber: 0, at: start + .milliseconds(1)) == nil)
        #expect(timings.answered(host: 0, item: 2, tryNumber: 1, at: start + .milliseconds(1)) == nil)
        #expect(timings.answered(host: 0, item: 1, tryNumber: 0, at: start + .milliseconds(2)) == .milliseconds(2))
        #expect(timings.answered(host: 0, item: 1, tryNumber: 0, at: start + .milliseconds(3)) == nil)
        // The slot its answer freed times the next probe.
        timings.sent(WorkItem(host: 0, item: 9, tryNumber: 0), at: start + .milliseconds(3), profile: t4)
        #expect(timings.answered(host: 0, item: 9, tryNumber: 0, at: start + .milliseconds(5)) == .milliseconds(2))
        // Probes never answered (dropped) free their slots once their timeout is over.
        let later = start + t4.initialRTTTimeout + .milliseconds(1)
        timings.sent(WorkItem(host: 0, item: 20, tryNumber: 1), at: later, profile: t4)
        #expect(timings.answered(host: 0, item: 20, tryNumber: 1, at: later + .milliseconds(4)) == .milliseconds(4))
    }

    @Test("a host whose first timed probes are all dropped is measured by a later probe that is answered; a measured host keeps its timed probes")
    func anUnmeasuredHostTimesItsNewestProbes() {
        var timings = HostTimings(hostCount: 1)
        let start = ContinuousClock.now
        // The first four probes go to ports that drop them; the rest of the pass follows at once.
        for item in 0 ..< 40 {
            timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start + .microseconds(item), profile: t4)
        }
        #expect(timings.answered(host: 0, item: 39, tryNumber: 0, at: start + .microseconds(339)) == .microseconds(300))
        // Measured now: a probe past the busy slots no longer displaces a timed one.
        for item in 40 ..< 44 {
            timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start + .microseconds(400 + item), profile: t4)
        }
        #expect(timings.answered(host: 0, item: 43, tryNumber: 0, at: start + .microseconds(600)) == nil)
        // The ladder timed the first probe (the oldest, kept till its timeout) and 33 and 37 beside 39.
        #expect(timings.answered(host: 0, item: 37, tryNumber: 0, at: start + .microseconds(637)) == .microseconds(600))
        #expect(timings.answered(host: 0, item: 33, tryNumber: 0, at: start + .microseconds(633)) == .microseconds(600))
    }

    @Test func aLostTimedProbeDoesNotLeaveTheHostUnmeasured() {
        var timings = HostTimings(hostCount: 1)
        let start = ContinuousClock.now
        // The first probe goes to a port that drops it; the ones after it answer.
        for item in 0..<10 { timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start, profile: t4) }
        for item in 1..<10 { _ = timings.answered(host: 0, item: item, tryNumber: 0, at: start + .milliseconds(2)) }
        #expect(timings.smoothed(host: 0) == .milliseconds(2))
        // The dropped first probe gave its slot to a later one, which answered.
        #expect(timings.samples == HostTimings.timedPerHost)
    }
}

/// One host probed as fast as a SYN `-p-` pass goes (a probe every 5 µs), on a network with a
/// real round trip: how soon the host gets its own round trip.
@Suite struct HostTimingsFastPassTests {
    let t4 = TimingProfile.template(4)
    let gap = Duration.microseconds(5)

    /// The time from the host's first send to its first sample (nil: none at all) when it is sent
    /// `items` first tries, one every `gap`, each answered `rtt` after it left unless `dropped`.
    /// Answers come in at their times, between the sends, and after the last send.
    func firstSample(rtt: Duration, items: Int = 65_535, dropped: (Int) -> Bool = { _ in false }) -> Duration? {
        var timings = HostTimings(hostCount: 1, itemCount: items)
        let start = ContinuousClock.now
        var due = 0
        func answers(by now: ContinuousClock.Instant) -> Duration? {
            while due < items, start + gap * due + rtt <= now {
                defer { due += 1 }
                let arrival = gap * due + rtt
                if !dropped(due), timings.answered(host: 0, item: due, tryNumber: 0, at: start + arrival) != nil {
                    return arrival
                }
            }
            return nil
        }
        for item in 0 ..< items {
            if let sample = answers(by: start + gap * item) { return sample }
            timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start + gap * item, profile: t4)
        }
        return answers(by: start + gap * items + rtt)
    }

    static let roundTrips: [Duration] = [.microseconds(50), .milliseconds(1), .milliseconds(20), .milliseconds(200)]

    @Test("a host sent a probe every 5 µs, each answered a round trip R later, has a sample within 2R of its first send, whatever R", arguments: roundTrips)
    func aFastPassMeasuresTheHost(rtt: Duration) throws {
        // 65,535 probes take 328 ms to send: timing only the newest four, an answer always found
        // its probe replaced, and the host had no sample until the sending stopped.
        let sample = try #require(firstSample(rtt: rtt))
        #expect(sample <= rtt * 2, "first sample \(sample) after the first send")
    }

    @Test("a host whose probes of the first round trip are all dropped is measured within 2R of its first answered probe", arguments: roundTrips)
    func droppedFirstProbesDelayTheSampleOnly(rtt: Duration) throws {
        let silent = Int(rtt / gap)
        let sample = try #require(firstSample(rtt: rtt, dropped: { $0 < silent }))
        #expect(sample <= gap * silent + rtt * 2, "first sample \(sample) after the first send")
    }

    @Test("a host where two probes in three are dropped, the first among them, is still measured within a few round trips", arguments: roundTrips.dropLast())
    func mostlyDroppedProbesStillMeasure(rtt: Duration) throws {
        let sample = try #require(firstSample(rtt: rtt, dropped: { $0 % 3 != 2 }))
        #expect(sample <= rtt * 3, "first sample \(sample) after the first send")
    }

    @Test("a retransmission of an unmeasured host does not take a timed probe's place")
    func retransmissionsNeverEvict() {
        var timings = HostTimings(hostCount: 1, itemCount: 100)
        let start = ContinuousClock.now
        for item in 0 ..< 4 {
            timings.sent(WorkItem(host: 0, item: item, tryNumber: 0), at: start + gap * item, profile: t4)
        }
        for item in 0 ..< 4 {
            timings.sent(WorkItem(host: 0, item: item, tryNumber: 1), at: start + .milliseconds(10), profile: t4)
        }
        for item in 0 ..< 4 {
            #expect(timings.answered(host: 0, item: item, tryNumber: 0, at: start + .milliseconds(11)) != nil)
        }
    }
}

@Suite struct HostTimingsLayoutTests {
    @Test("a host's round-trip estimate is 16 bytes, and it counts as sampled from its first round trip")
    func theEstimateIsCompact() {
        #expect(MemoryLayout<RTTEstimator.Estimate>.stride == 16)
        var estimate = RTTEstimator.Estimate()
        #expect(!estimate.hasSample && estimate.smoothed == nil)
        estimate.observe(.zero)
        #expect(estimate.hasSample && estimate.smoothed == .zero)
    }

    @Test("an answer of unknown try times nothing, and a timed answer's round trip keeps its nanoseconds")
    func unknownTriesMatchNoSlotAndRoundTripsStayExact() {
        let t4 = TimingProfile.template(4)
        var timings = HostTimings(hostCount: 3, itemCount: 1)
        let start = ContinuousClock.now
        timings.sent(WorkItem(host: 2, item: 0, tryNumber: 0), at: start, profile: t4)
        #expect(timings.answered(host: 2, item: 0, tryNumber: TryNumbers.unknown, at: start + .milliseconds(1)) == nil)
        #expect(timings.answered(host: 1, item: 0, tryNumber: 0, at: start + .milliseconds(1)) == nil)
        #expect(timings.answered(host: 2, item: 0, tryNumber: 0, at: start + .nanoseconds(1_234_567)) == .nanoseconds(1_234_567))
        // One item a host: the answered host owes nothing more, so it keeps no estimate of its own;
        // the others borrow the overall one.
        #expect(timings.smoothed(host: 2) == nil && timings.samples == 1)
        #expect(timings.timeout(host: 0, t4) == t4.minRTTTimeout)
    }

    @Test("with more than one item a host keeps its own estimate, apart from the overall one")
    func hostsOfManyItemsKeepTheirOwnEstimate() {
        let t4 = TimingProfile.template(4)
        var timings = HostTimings(hostCount: 2, itemCount: 2)
        let start = ContinuousClock.now
        timings.sent(WorkItem(host: 1, item: 1, tryNumber: 0), at: start, profile: t4)
        _ = timings.answered(host: 1, item: 1, tryNumber: 0, at: start + .nanoseconds(1_234_567))
        #expect(timings.smoothed(host: 1) == .nanoseconds(1_234_567) && timings.smoothed(host: 0) == nil)
    }

    @Test("a sweep host's probes are each timed, so an answer to an earlier one still measures it; it keeps no estimate of its own")
    func aSweepTimesEachProbe() {
        let t4 = TimingProfile.template(4)
        var timings = HostTimings(hostCount: 2, itemCount: 3, oneAnswerPerHost: true)
        let start = ContinuousClock.now
        for item in 0 ..< 3 {
            timings.sent(WorkItem(host: 1, item: item, tryNumber: 0), at: start + .microseconds(item * 10), profile: t4)
        }
        // The echo's answer comes after the other two probes left: timed from the echo's own send.
        #expect(timings.answered(host: 1, item: 0, tryNumber: 0, at: start + .microseconds(500)) == .microseconds(500))
        #expect(timings.answered(host: 1, item: 2, tryNumber: 0, at: start + .microseconds(530)) == .microseconds(510))
        #expect(timings.smoothed(host: 1) == nil && timings.samples == 2)
    }

    @Test("a sweep host keeps every probe of its first pass timed through its retries, the ladder never entering")
    func aSweepNeverEvicts() {
        let t4 = TimingProfile.template(4)
        var timings = HostTimings(hostCount: 2, itemCount: 3, oneAnswerPerHost: true)
        let start = ContinuousClock.now
        // Each host's three first tries fill its three slots; the second tries find them busy.
        for tryNumber in 0 ..< 2 {
            for host in 0 ..< 2 {
                for item in 0 ..< 3 {
                    let at = start + .microseconds(100 * tryNumber + 10 * (3 * host + item))
                    timings.sent(WorkItem(host: host, item: item, tryNumber: tryNumber), at: at, profile: t4)
                }
            }
        }
        for host in 0 ..< 2 {
            for item in 0 ..< 3 {
                #expect(timings.answered(host: host, item: item, tryNumber: 0, at: start + .milliseconds(1))
                    == .milliseconds(1) - .microseconds(10 * (3 * host + item)))
            }
        }
        #expect(timings.samples == 6)
    }

    @Test("a timed slot is 8 bytes, and a round trip timed across the slot clock's wrap (about 2.4 hours in) is exact")
    func slotsAreEightBytesAndWrapSafely() {
        #expect(HostTimings.slotStride == 8)
        let t4 = TimingProfile.template(4)
        var timings = HostTimings(hostCount: 1, itemCount: 1)
        let start = ContinuousClock.now
        timings.sent(WorkItem(host: 0, item: 0, tryNumber: 0), at: start, profile: t4)
        _ = timings.answered(host: 0, item: 0, tryNumber: 0, at: start + .milliseconds(1))
        // 2^43 ns is 8,796 s: a probe sent just before the wrap, answered just after.
        let late = start + .nanoseconds((1 << 43) - 1_000)
        timings.sent(WorkItem(host: 0, item: 0, tryNumber: 1), at: late, profile: t4)
        #expect(timings.answered(host: 0, item: 0, tryNumber: 1, at: late + .nanoseconds(3_000)) == .nanoseconds(3_000))
    }
}

