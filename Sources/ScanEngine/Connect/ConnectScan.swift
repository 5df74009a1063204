import Dispatch
import Threads
import FoundationEssentials
import PortgridCore
import Synchronization

/// TCP connect scan (`-sT`): needs no privileges, learns each port's state from the kernel's own
/// connect(), with the ICMP error queue read to tell a firewall's refusal from a closed port.
enum ConnectScan {
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64, shard: Shard = .whole,
                    finished: FinishedWork = .none) throws {
        try run(plan: plan, control: control, sink: sink, seed: seed, system: LiveSystem(),
                workers: workerCount(plan, processors: ProcessInfo.processInfo.activeProcessorCount),
                walk: walk(plan, shard: shard, finished: finished))
    }

    /// This run's walk of the permutation: its shard's stride, less what an earlier run decided.
    static func walk(_ plan: ScanPlan, shard: Shard, finished: FinishedWork) -> ProbeCursor {
        let total = UInt64(plan.totalWork)
        guard !finished.isEmpty else { return ProbeCursor(count: total, shard: shard) }
        let portCount = UInt64(plan.ports.count)
        return ProbeCursor(count: total, shard: shard) { element in
            finished.contains(plan.hosts[Int(element / portCount)], port: plan.ports[Int(element % portCount)])
        }
    }

    /// The same on any syscall layer: tests pass a scripted network (and one worker, the fake's
    /// clock being one for the whole process).
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64,
                    system: any SystemCalls, workers: Int = 1, walk: ProbeCursor? = nil) throws(ScanError) {
        guard plan.totalWork > 0 else { return }
        let started = system.now(), probesBefore = sink.probesSent
        let fileLimit = ResourceLimits(system: system).raiseFileLimit()
        let walk = walk ?? ProbeCursor(count: UInt64(plan.totalWork))
        let count = max(1, workers)
        let failure = Mutex<ScanError?>(nil)
        let work: @Sendable (WorkerShare) -> Void = { share in
            do throws(ScanError) {
                let engine = try ConnectEngine(plan: plan, control: control, sink: sink, seed: seed, system: system,
                                               fileLimit: fileLimit / count, share: share, walk: walk)
                try engine.run()
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
                // The others stop too: a scan with a failed worker has failed.
                control.cancel()
            }
        }
        let done = DispatchGroup()
        for index in 1..<count {
            done.enter()
            OSThread.start(name: "portgrid-connect-\(index)", stackSize: 1 << 22) {
                work(WorkerShare(index: index, count: count))
                done.leave()
            }
        }
        work(WorkerShare(index: 0, count: count))
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        guard !control.isCancelled else { return }
        var meter = ProgressMeter(total: plan.progressWork, started: sink.started, now: started, probesSent: probesBefore)
        sink.send(.progress(meter.final(now: system.now(), completed: sink.completedCount,
                                        probesSent: sink.probesSent)))
    }

    /// Workers for a scan: one per core (up to four) when there is enough work to share, and one
    /// when the scan's limits need a single view of it (a serial profile, a probe delay, a host
    /// timeout). A worker's loop is kernel-bound; a second core doubles what the kernel can take.
    static func workerCount(_ plan: ScanPlan, processors: Int) -> Int {
        let timing = plan.timing
        guard plan.totalWork >= minimumWorkPerWorker * 2, timing.hostTimeout == nil, timing.scanDelay == .zero,
              (timing.maxParallelism ?? Int.max) >= 2 else { return 1 }
        let byWork = plan.totalWork / minimumWorkPerWorker
        return max(1, min(4, processors, byWork, timing.maxParallelism ?? Int.max))
    }

    /// Below this many probes each, a second worker costs more in set-up than it saves.
    static let minimumWorkPerWorker = 2_048
}
