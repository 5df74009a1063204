import Testing
@testable import ScanEngine

@Suite struct RetryAllowanceTests {
    @Test func startsWithOneRetry() {
        let allowance = RetryAllowance(maxRetries: 10)
        #expect(allowance.allowed == 1)
        #expect(allowance.mayRetry(after: 0))
        #expect(!allowance.mayRetry(after: 1))
    }

    @Test func firstTryAnswersTeachNothing() {
        var allowance = RetryAllowance(maxRetries: 10)
        let lossSeen = allowance.answered(onAttempt: 0)
        #expect(!lossSeen)
        #expect(allowance.allowed == 1)
    }

    @Test func anAnsweredRetransmissionRaisesTheAllowance() {
        var allowance = RetryAllowance(maxRetries: 10)
        let lossSeen = allowance.answered(onAttempt: 1)
        #expect(lossSeen)
        #expect(allowance.allowed == 2)
        allowance.answered(onAttempt: 4)
        #expect(allowance.allowed == 5)
        allowance.answered(onAttempt: 2)
        #expect(allowance.allowed == 5, "never lowered by a later, earlier answer")
        #expect(allowance.mayRetry(after: 4))
        #expect(!allowance.mayRetry(after: 5))
    }

    @Test func neverAboveTheProfileMaximum() {
        var allowance = RetryAllowance(maxRetries: 2)
        allowance.answered(onAttempt: 7)
        #expect(allowance.allowed == 2)
        #expect(RetryAllowance(maxRetries: 0).allowed == 0)
        #expect(!RetryAllowance(maxRetries: 0).mayRetry(after: 0))
    }

    @Test func aNewProfileKeepsWhatWasLearnedWithinItsBounds() {
        var allowance = RetryAllowance(maxRetries: 10)
        allowance.answered(onAttempt: 5)
        allowance.setCeiling(3)
        #expect(allowance.allowed == 3)
        allowance.setCeiling(10)
        #expect(allowance.allowed == 3)
        allowance.setCeiling(0)
        #expect(allowance.allowed == 0)
        allowance.setCeiling(6)
        #expect(allowance.allowed == 1)
    }
}

@Suite struct ProbeWindowTests {
    @Test func sizedFromTheDescriptorLimitWithHeadroom() {
        #expect(ProbeWindow.ceiling(fileLimit: 1024) == 1024 - 102)
        #expect(ProbeWindow.ceiling(fileLimit: 20_000) == 16_384)
        #expect(ProbeWindow.ceiling(fileLimit: 256) == 256 - 32)
        #expect(ProbeWindow.ceiling(fileLimit: 20) == ProbeWindow.minimum)
        for limit in [64, 1024, 4096, 20_000, 65_536] {
            #expect(ProbeWindow.ceiling(fileLimit: limit) + ProbeWindow.reserve(fileLimit: limit) <= limit)
        }
    }

    @Test func maxParallelismCaps() {
        var window = ProbeWindow(fileLimit: 4096, maxParallelism: 1)
        #expect(window.limit == 1)
        window.maxParallelism = 100
        #expect(window.limit == 100)
        window.maxParallelism = nil
        #expect(window.limit == window.ceiling)
    }

    @Test func lossHalvesAndAnswersGrowBack() {
        var window = ProbeWindow(fileLimit: 1024, maxParallelism: nil)
        let full = window.limit
        window.lossDetected()
        #expect(window.limit == full / 2)
        for _ in 0..<10 { window.answered() }
        #expect(window.limit == full / 2 + 10)
        for _ in 0..<10_000 { window.answered() }
        #expect(window.limit == full)
    }

    @Test func aShortageHoldsTheWindowBelowWhatWasInFlight() {
        var window = ProbeWindow(fileLimit: 4096, maxParallelism: nil)
        window.shortage(inFlight: 400)
        #expect(window.limit == 300)
        window.shortage(inFlight: 0)
        #expect(window.limit == ProbeWindow.minimum)
    }
}
