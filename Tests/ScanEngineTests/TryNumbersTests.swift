import Testing
@testable import ScanEngine

@Suite struct TryNumbersTests {
    @Test("the passes and the pacer split the cookie's try numbers with no overlap and no gap")
    func theSplitCoversTheCookieExactly() {
        #expect(TryNumbers.count == ProbeCookie.maxTries)
        #expect(TryNumbers.passes.lowerBound == 0)
        #expect(TryNumbers.paced.lowerBound == TryNumbers.passes.upperBound + 1)
        #expect(TryNumbers.paced.upperBound == ProbeCookie.maxTries - 1)
        #expect(Set(TryNumbers.passes).isDisjoint(with: Set(TryNumbers.paced)))
        #expect(PassScheduler.retryCeiling == TryNumbers.passes.upperBound)
    }

    @Test("a pass never hands out a try number the pacer owns, however many retries are asked for")
    func passesStayInTheirRange() {
        var scheduler = PassScheduler(hostCount: 1, itemCount: 40, maxRetries: 50, seed: 1)
        #expect(scheduler.maxRetries == TryNumbers.passes.upperBound)
        // Answering one retransmission a pass raises the allowance pass after pass: to its
        // ceiling, never past it.
        var highest = 0
        for _ in 0..<40 where !scheduler.isFinished {
            var sent: [WorkItem] = []
            while let probe = scheduler.nextProbe() { sent.append(probe) }
            if let first = sent.first {
                highest = max(highest, first.tryNumber)
                scheduler.recordAnswer(host: first.host, item: first.item, tryNumber: first.tryNumber)
            }
            _ = scheduler.endPass()
        }
        #expect(highest == TryNumbers.passes.upperBound)
        #expect(TryNumbers.passes.contains(highest))
    }

    @Test("paced tries count up from above the canary's number and stop at the cookie's last")
    func pacedTriesStayInTheirRange() {
        #expect(TryNumbers.paced(afterSilentTries: 0) == TryNumbers.canary + 1)
        #expect(TryNumbers.paced(afterSilentTries: 100) == ProbeCookie.maxTries - 1)
        for silent in 0..<10 { #expect(TryNumbers.paced.contains(TryNumbers.paced(afterSilentTries: silent))) }
    }
}
