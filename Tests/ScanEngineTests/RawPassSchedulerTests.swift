import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct RawPassSchedulerTests {
    func drain(_ scheduler: inout PassScheduler) -> [WorkItem] {
        var items: [WorkItem] = []
        while let item = scheduler.nextProbe() { items.append(item) }
        return items
    }

    @Test func theFirstPassProbesEveryPairOnceInAShuffledOrder() {
        var scheduler = PassScheduler(hostCount: 3, itemCount: 50, maxRetries: 6, seed: 1)
        let first = drain(&scheduler)
        #expect(first.count == 150)
        #expect(Set(first.map { $0.host * 1000 + $0.item }).count == 150)
        #expect(first.allSatisfy { $0.tryNumber == 0 })
        #expect(first.map(\.item) != first.map(\.item).sorted())
        #expect(scheduler.isPassFullySent)
    }

    @Test func laterPassesResendOnlyTheUnanswered() {
        var scheduler = PassScheduler(hostCount: 1, itemCount: 10, maxRetries: 6, seed: 2)
        _ = drain(&scheduler)
        for item in 0..<7 { scheduler.recordAnswer(host: 0, item: item, tryNumber: 0) }
        #expect(scheduler.endPass().isEmpty)
        let second = drain(&scheduler)
        #expect(Set(second.map(\.item)) == [7, 8, 9])
        #expect(second.allSatisfy { $0.tryNumber == 1 })
        // No late answer: the allowance stays at one retransmission, and silence is final.
        let finished = scheduler.endPass()
        #expect(finished.count == 1 && finished[0].items == [7, 8, 9])
        #expect(scheduler.isFinished)
    }

    @Test("a pass end lists silent hosts in order: one that never answered with every item, one that did with the rest")
    func aPassEndListsSilentHostsWithTheirItems() {
        var scheduler = PassScheduler(hostCount: 3, itemCount: 4, maxRetries: 0, seed: 5)
        _ = drain(&scheduler)
        for item in 0..<4 { scheduler.recordAnswer(host: 1, item: item, tryNumber: 0) }
        scheduler.recordAnswer(host: 2, item: 1, tryNumber: 0)
        let finished = scheduler.endPass()
        #expect(finished == [SilentItems(host: 0, items: [0, 1, 2, 3]), SilentItems(host: 2, items: [0, 2, 3])])
        #expect(finished.map(\.host) == [0, 2] && finished.host(at: 1) == 2)
        #expect(scheduler.isFinished)
    }

    @Test func aLateAnswerBuysAnotherPassUpToTheCeiling() {
        var scheduler = PassScheduler(hostCount: 1, itemCount: 4, maxRetries: 3, seed: 3)
        _ = drain(&scheduler)
        #expect(scheduler.endPass().isEmpty)
        _ = drain(&scheduler)
        scheduler.recordAnswer(host: 0, item: 0, tryNumber: 1)  // answered on its retransmission
        #expect(scheduler.allowedPasses(0) == 2)
        #expect(scheduler.endPass().isEmpty)
        #expect(drain(&scheduler).count == 3)
        scheduler.recordAnswer(host: 0, item: 1, tryNumber: 2)
        #expect(scheduler.endPass().isEmpty)
        #expect(drain(&scheduler).allSatisfy { $0.tryNumber == 3 })
        scheduler.recordAnswer(host: 0, item: 2, tryNumber: 3)
        #expect(scheduler.allowedPasses(0) == 3)  // maxRetries caps it
        let finished = scheduler.endPass()
        #expect(finished.first?.items == [3])
        #expect(scheduler.isFinished)
    }

    @Test func aSecondAnswerToARetransmittedPairIsNoSignOfLoss() {
        var scheduler = PassScheduler(hostCount: 1, itemCount: 2, maxRetries: 6, seed: 8)
        _ = drain(&scheduler)
        _ = scheduler.endPass()
        _ = drain(&scheduler)
        // The first try was only slow: its answer came after the retransmission left.
        scheduler.recordAnswer(host: 0, item: 0, tryNumber: 0)
        scheduler.recordAnswer(host: 0, item: 0, tryNumber: 1)
        #expect(scheduler.allowedPasses(0) == 1)
        scheduler.recordAnswer(host: 0, item: 1, tryNumber: 1)
        #expect(scheduler.allowedPasses(0) == 2)
    }

    @Test func aPassEndIsFinalForAHostOnlyWhenItsAllowanceEndsThere() {
        var scheduler = PassScheduler(hostCount: 2, itemCount: 3, maxRetries: 2, seed: 9)
        _ = drain(&scheduler)
        #expect(!scheduler.passEndIsFinal(for: 0) && !scheduler.passEndIsFinal(for: 1))
        _ = scheduler.endPass()
        _ = drain(&scheduler)
        scheduler.recordAnswer(host: 1, item: 0, tryNumber: 1)
        #expect(scheduler.passEndIsFinal(for: 0))
        #expect(!scheduler.passEndIsFinal(for: 1))
        #expect(PassScheduler(hostCount: 1, itemCount: 1, maxRetries: 0, seed: 1).passEndIsFinal(for: 0))
    }

    @Test func noRetriesMeansOnePass() {
        var scheduler = PassScheduler(hostCount: 2, itemCount: 3, maxRetries: 0, seed: 4)
        #expect(drain(&scheduler).count == 6)
        #expect(scheduler.endPass().count == 2)
        #expect(scheduler.isFinished && !scheduler.hasPassWork)
    }

    @Test func duplicateAnswersCountOnce() {
        var scheduler = PassScheduler(hostCount: 1, itemCount: 2, maxRetries: 2, seed: 5)
        let first = scheduler.recordAnswer(host: 0, item: 1, tryNumber: 0)
        let again = scheduler.recordAnswer(host: 0, item: 1, tryNumber: 0)
        #expect(first && !again)
        #expect(scheduler.remaining == 1)
    }

    @Test func shardsSplitTheWork() {
        var all: [Int] = []
        for index in 1...3 {
            var scheduler = PassScheduler(hostCount: 5, itemCount: 41, maxRetries: 1, seed: 6,
                                          shard: Shard(index: index, count: 3))
            let items = drain(&scheduler)
            #expect(scheduler.remaining == items.count)
            all += items.map { $0.host * 100 + $0.item }
            // Only this shard's pairs are finalized as silent.
            _ = scheduler.endPass()
            _ = drain(&scheduler)
            let silent = scheduler.endPass().reduce(0) { $0 + $1.items.count }
            #expect(silent == items.count)
        }
        #expect(all.count == 205 && Set(all).count == 205)
    }

    @Test func detachedHostsAreLeftToThePacer() {
        var scheduler = PassScheduler(hostCount: 2, itemCount: 3, maxRetries: 2, seed: 7)
        _ = drain(&scheduler)
        scheduler.detach(1)
        #expect(scheduler.endPass().isEmpty)
        #expect(drain(&scheduler).allSatisfy { $0.host == 0 })
        let finished = scheduler.endPass()
        #expect(finished.map(\.host) == [0])
        #expect(!scheduler.hasPassWork)
        #expect(scheduler.remaining == 3)
        scheduler.reattach(1)
        #expect(scheduler.hasPassWork)
        #expect(drain(&scheduler).filter { $0.host == 1 }.count == 3)
    }

    @Test("a sweep walks every host's first probe before any host's second, and an answer to one probe settles all of the host's")
    func aSweepWalksProbeByProbeAndOneAnswerSettlesTheHost() {
        var scheduler = PassScheduler(hostCount: 5, itemCount: 3, maxRetries: 1, seed: 11, settlesHost: true)
        var first: [WorkItem] = []
        for _ in 0 ..< 5 { first.append(scheduler.nextProbe()!) }
        #expect(first.allSatisfy { $0.item == 0 } && Set(first.map(\.host)) == [0, 1, 2, 3, 4])
        // Host 3 answers its first probe (the echo), host 1 its second; the rest stay silent.
        let settled = scheduler.recordAnswer(host: 3, item: 0, tryNumber: 0)
        #expect(settled)
        #expect(scheduler.remaining == 12, "the answer settled the host's three items")
        var rest: [WorkItem] = []
        while let probe = scheduler.nextProbe() {
            rest.append(probe)
            if probe.host == 1 && probe.item == 1 {
                let first = scheduler.recordAnswer(host: 1, item: 1, tryNumber: 0)
                #expect(first)
            }
        }
        #expect(!rest.contains { $0.host == 3 }, "a settled host is sent no more probes")
        #expect(rest.filter { $0.host == 1 }.map(\.item) == [1], "nor one settled by its second")
        #expect(rest.map(\.item) == rest.map(\.item).sorted(), "the second probes all go before the third")
        let again = scheduler.recordAnswer(host: 3, item: 2, tryNumber: 0)
        #expect(!again, "a later answer is not the host's first")
        // The pass end finds hosts 0, 2 and 4 silent, each with its three items.
        #expect(scheduler.endPass().isEmpty, "one retry allowed: the first pass end decides nothing")
        while scheduler.nextProbe() != nil {}
        let silent = scheduler.endPass()
        #expect(silent.map(\.host).sorted() == [0, 2, 4] && silent.allSatisfy { $0.items == [0, 1, 2] })
        #expect(scheduler.isFinished)
    }
}

