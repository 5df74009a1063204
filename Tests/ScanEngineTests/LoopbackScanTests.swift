import Foundation
import PortgridCore
import Testing
@testable import ScanEngine

/// Real scans of this machine's loopback through the public front door, `Scanner().run`. Only
/// 127.0.0.1 and ::1 are ever contacted.
@Suite(.serialized) struct LoopbackScanTests {
    struct Collected {
        var results: [PortResult] = []
        var summary: ScanSummary?
        var progress: [ScanProgress] = []
        var started: ScanPlan?
    }

    func request(_ target: String, ports: PortSet, timing: TimingProfile = .normal) throws -> ScanRequest {
        ScanRequest(targets: try TargetSet(parsing: [target]), ports: PortList(tcp: ports, udp: PortSet()),
                    technique: .connect, timing: timing, skipDiscovery: true, seed: 42)
    }

    func collect(_ stream: AsyncStream<ScanEvent>) async -> Collected {
        var collected = Collected()
        for await event in stream {
            switch event {
            case .results(let batch): collected.results += batch
            case .finished(let summary): collected.summary = summary
            case .progress(let progress): collected.progress.append(progress)
            case .started(let plan): collected.started = plan
            default: break
            }
        }
        return collected
    }

    @Test func listenersAreOpenAndBoundPortsClosed() async throws {
        let open = try (0..<3).map { _ in try LoopbackListener(listening: true) }
        let closed = try (0..<3).map { _ in try LoopbackListener(listening: false) }
        let ports = PortSet(ports: (open + closed).map(\.port))
        let scan = await collect(Scanner().run(try request("127.0.0.1", ports: ports)))
        #expect(scan.summary?.outcome == .completed)
        #expect(scan.results.count == 6)
        for listener in open {
            let result = scan.results.first { $0.port == listener.port }
            #expect(result?.state == .open)
            #expect(result?.reason == .synAck)
            #expect(result?.rtt != nil)
        }
        for listener in closed {
            let result = scan.results.first { $0.port == listener.port }
            #expect(result?.state == .closed)
            #expect(result?.reason == .connRefused)
        }
        #expect(scan.results.allSatisfy { $0.technique == .connect && $0.proto == .tcp })
    }

    @Test(.enabled(if: LoopbackListener.ipv6Available)) func ipv6LoopbackWorksToo() async throws {
        let open = try LoopbackListener(listening: true, ipv6: true)
        let closed = try LoopbackListener(listening: false, ipv6: true)
        let scan = await collect(Scanner().run(try request("::1", ports: PortSet(ports: [open.port, closed.port]))))
        #expect(scan.results.first { $0.port == open.port }?.state == .open)
        #expect(scan.results.first { $0.port == closed.port }?.state == .closed)
        #expect(scan.results.allSatisfy { $0.host == IPAddress("::1")! })
    }

    @Test func aWholeRangeScanAccountsForEveryPortExactlyOnce() async throws {
        let listener = try LoopbackListener(listening: true)
        let bound = try LoopbackListener(listening: false)
        let started = ContinuousClock.now
        let scan = await collect(Scanner().run(try request("127.0.0.1", ports: .all)))
        let elapsed = ContinuousClock.now - started
        #expect(scan.summary?.outcome == .completed)
        #expect(scan.results.count == 65_535)
        #expect(Set(scan.results.map(\.port)).count == 65_535)
        #expect(scan.results.first { $0.port == listener.port }?.state == .open)
        #expect(scan.results.first { $0.port == bound.port }?.state == .closed)
        // Loopback answers every port: nothing is filtered, nothing needed a retry.
        #expect(scan.results.allSatisfy { $0.state == .open || $0.state == .closed })
        #expect(scan.progress.last?.completed == 65_535)
        print("loopback -p- connect scan: \(elapsed), \(scan.summary?.probesSent ?? 0) probes")
    }

    /// How soon is the benchmarks' business (a unit test asserts no wall-clock time): here, that the
    /// stream ends, cancelled, before the scan could have finished.
    @Test("cancelling after the first event ends the stream with a cancelled summary and part of the ports",
          .timeLimit(.minutes(1)))
    func cancellingAfterTheFirstEventEndsTheScanEarly() async throws {
        let control = ScanControl()
        let stream = Scanner().run(try request("127.0.0.1", ports: .all), control: control)
        var cancelledAt: ContinuousClock.Instant?
        var finished: ScanSummary?
        var results = 0
        for await event in stream {
            if cancelledAt == nil {
                control.cancel()
                cancelledAt = .now
            }
            if case .results(let batch) = event { results += batch.count }
            if case .finished(let summary) = event { finished = summary }
        }
        let summary = try #require(finished)
        #expect(cancelledAt != nil)
        #expect(summary.outcome == .cancelled)
        #expect(results < 65_535)
    }

    @Test func cancellingByDroppingTheStreamStopsTheScan() async throws {
        let control = ScanControl()
        do {
            let stream = Scanner().run(try request("127.0.0.1", ports: .all), control: control)
            for await _ in stream { break }
        }
        #expect(control.isCancelled)
    }
}
