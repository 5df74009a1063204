import Foundation
import PortgridCore
import Synchronization
import Testing
@testable import ScanEngine

/// A connect scan on several workers: the user's limits split exactly, the shared walk hands out
/// every probe once, and a real loopback scan on three workers accounts for every port once,
/// also when a serial profile idles all but one worker mid-scan.
@Suite struct ConnectWorkerTests {
    @Test func portionsAddUpToTheWhole() {
        for count in 1...4 {
            for total in [0, 1, 2, 3, 7, 100, 16_384] {
                let parts = (0..<count).map { WorkerShare(index: $0, count: count).portion(of: total) }
                #expect(parts.reduce(0, +) == total, "\(total) over \(count)")
                #expect(parts.max()! - parts.min()! <= 1)
            }
        }
    }

    @Test func aSerialLimitLeavesOneWorkerActive() {
        let first = WorkerShare(index: 0, count: 2), second = WorkerShare(index: 1, count: 2)
        #expect(first.portion(of: 1) == 1)
        #expect(second.portion(of: 1) == 0)
        #expect(first.activeWorkers(parallelism: 1) == 1)
        #expect(first.activeWorkers(parallelism: nil) == 2)
        // The rate goes to the active worker whole; the idle one is held by its zero window.
        #expect(first.rate(100, parallelism: 1) == 100)
        #expect(second.rate(100, parallelism: 1) == nil)
        #expect(first.rate(100, parallelism: nil) == 50)
        #expect(second.rate(nil, parallelism: nil) == nil)
        // Two active workers each wait twice the delay: the scan's probes stay one delay apart.
        #expect(first.delay(.milliseconds(400), parallelism: nil) == .milliseconds(800))
        #expect(first.delay(.milliseconds(400), parallelism: 1) == .milliseconds(400))
    }

    @Test func theWindowOfAnIdleWorkerIsZero() {
        var window = ProbeWindow(fileLimit: 4096, maxParallelism: WorkerShare(index: 1, count: 2).portion(of: 1))
        #expect(window.limit == 0)
        window.maxParallelism = WorkerShare(index: 1, count: 2).portion(of: 10)
        #expect(window.limit == 5)
    }

    @Test func theSharedWalkHandsOutEveryIndexOnce() {
        let cursor = ProbeCursor(count: 100_003)
        let seen = Mutex<[Range<UInt64>]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            var mine: [Range<UInt64>] = []
            while true {
                let range = cursor.take(37)
                if range.isEmpty { break }
                mine.append(range)
            }
            seen.withLock { $0 += mine }
        }
        let ranges = seen.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        var next: UInt64 = 0
        for range in ranges {
            #expect(range.lowerBound == next)
            next = range.upperBound
        }
        #expect(next == 100_003)
        #expect(cursor.isExhausted)
        #expect(cursor.take(5).isEmpty)
    }

    @Test func workersFollowTheWorkAndTheLimits() {
        func plan(ports: Int, _ change: (inout TimingProfile) -> Void = { _ in }) -> ScanPlan {
            var timing = TimingProfile.template(4)
            change(&timing)
            return ScanPlan(technique: .connect, hosts: [IPAddress("198.18.0.2")!],
                            ports: PortSet(ports: (1...UInt16(ports)).map { $0 }), timing: timing)
        }
        #expect(ConnectScan.workerCount(plan(ports: 65_535), processors: 2) == 2)
        #expect(ConnectScan.workerCount(plan(ports: 65_535), processors: 16) == 4)
        #expect(ConnectScan.workerCount(plan(ports: 65_535), processors: 1) == 1)
        #expect(ConnectScan.workerCount(plan(ports: 1_000), processors: 2) == 1, "too little work to share")
        #expect(ConnectScan.workerCount(plan(ports: 65_535) { $0.hostTimeout = .seconds(60) }, processors: 2) == 1)
        #expect(ConnectScan.workerCount(plan(ports: 65_535) { $0.scanDelay = .milliseconds(10) }, processors: 2) == 1)
        #expect(ConnectScan.workerCount(plan(ports: 65_535) { $0.maxParallelism = 1 }, processors: 2) == 1)
        #expect(ConnectScan.workerCount(plan(ports: 65_535) { $0.maxParallelism = 3 }, processors: 16) == 3)
    }

    /// Three workers on 127.0.0.1 (a private loopback address would need no listener; this one has
    /// two, so open and closed are both seen), with the profile turned serial halfway: the idle
    /// workers finish what they hold and the first carries on alone, every port reported once.
    @Test func threeWorkersOnLoopbackReportEveryPortOnce() async throws {
        let open = try LoopbackListener(listening: true)
        let closed = try LoopbackListener(listening: false)
        let ports = PortSet(ports: Array(20_000...29_999) + [open.port, closed.port])
        let plan = ScanPlan(technique: .connect, hosts: [open.address], ports: ports, timing: .template(4))
        let control = ScanControl(timing: .template(4))
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation)
        let failure = Mutex<ScanError?>(nil)
        let thread = Thread {
            do throws(ScanError) {
                try ConnectScan.run(plan: plan, control: control, sink: sink, seed: 9, system: LiveSystem(), workers: 3)
            } catch {
                failure.withLock { $0 = error }
            }
            sink.finish(ScanSummary(outcome: .completed, elapsed: .zero, probesSent: sink.probesSent))
        }
        thread.start()
        var results: [PortResult] = []
        var serial = false
        for await event in stream {
            guard case .results(let batch) = event else { continue }
            results += batch
            if !serial && results.count > 3_000 {
                var timing = TimingProfile.template(4)
                timing.maxParallelism = 1
                control.setTiming(timing)
                serial = true
            }
        }
        #expect(failure.withLock { $0 } == nil)
        #expect(results.count == ports.count)
        #expect(Set(results.map(\.port)).count == ports.count)
        #expect(results.first { $0.port == open.port }?.state == .open)
        #expect(results.first { $0.port == closed.port }?.state == .closed)
        #expect(results.allSatisfy { $0.state == .open || $0.state == .closed })
    }
}
