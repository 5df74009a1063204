import Foundation
import PortgridCore
@testable import ScanEngine

/// Runs the connect engine to the end on a fake network (synchronously: the fake clock makes it
/// instant) and hands back everything it said.
struct EngineRun {
    var events: [ScanEvent] = []
    var error: ScanError?

    var results: [PortResult] {
        var all: [PortResult] = []
        for case .results(let batch) in events { all += batch }
        return all
    }
    var notices: [Notice] { events.compactMap { if case .notice(let notice) = $0 { notice } else { nil } } }
    var progress: [ScanProgress] { events.compactMap { if case .progress(let p) = $0 { p } else { nil } } }
    var probesSent = 0
    var completed = 0

    func result(_ port: UInt16, host: IPAddress = EngineRun.host) -> PortResult? {
        results.first { $0.port == port && $0.host == host }
    }

    static let host = IPAddress("198.18.0.2")!

    static func timing(retries: Int = 10, parallelism: Int? = nil, hostTimeout: Duration? = nil,
                       maxRate: Double? = nil) -> TimingProfile {
        var timing = TimingProfile.normal
        timing.maxRetries = retries
        timing.maxParallelism = parallelism
        timing.hostTimeout = hostTimeout
        timing.maxRate = maxRate
        return timing
    }

    static func plan(hosts: [IPAddress] = [host], ports: [UInt16], timing: TimingProfile = timing()) -> ScanPlan {
        ScanPlan(technique: .connect, hosts: HostList(hosts), ports: PortSet(ports: ports), timing: timing)
    }

    /// The engine runs to its end on its own thread (as the real scanner does, and so it never
    /// blocks the test pool's few threads); the fake clock makes that quick. Then the stream is read.
    static func run(_ plan: ScanPlan, on network: FakeNetwork, control: ScanControl? = nil,
                    seed: UInt64 = 7) async -> EngineRun {
        let control = control ?? ScanControl(timing: plan.timing)
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 16)
        let error: ScanError? = await withCheckedContinuation { (done: CheckedContinuation<ScanError?, Never>) in
            let thread = Thread {
                do throws(ScanError) {
                    try ConnectScan.run(plan: plan, control: control, sink: sink, seed: seed, system: network)
                    done.resume(returning: nil)
                } catch {
                    done.resume(returning: error)
                }
            }
            thread.stackSize = 1 << 22
            thread.start()
        }
        var run = EngineRun()
        run.error = error
        run.probesSent = sink.probesSent
        run.completed = sink.completedCount
        sink.finish(ScanSummary(outcome: control.isCancelled ? .cancelled : .completed, elapsed: .zero,
                                probesSent: sink.probesSent))
        for await event in stream { run.events.append(event) }
        return run
    }
}

/// Runs `body` on a plain thread: a watcher that must make progress even when the test pool's
/// threads are all busy.
func onThread(_ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.start()
}

/// Spins (with short sleeps) until `condition` holds or 10 s pass.
func poll(until condition: () -> Bool) {
    let deadline = ContinuousClock.now + .seconds(10)
    while !condition() && ContinuousClock.now < deadline { usleep(200) }
}
