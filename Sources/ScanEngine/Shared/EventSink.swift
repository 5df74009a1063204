import PortgridCore
import Synchronization

/// Collects results from a prober thread and hands them to the AsyncStream in batches (every
/// `maxBatch` results or `interval`, whichever comes first). Never drops: the stream is unbounded
/// and a consumer that falls behind only gets bigger batches.
public final class EventSink: Sendable {
    private struct State {
        var pending: [PortResult] = []
        /// Hosts found down, not yet handed on.
        var down: [IPAddress] = []
        var lastFlush: ContinuousClock.Instant
        var completed = 0
        var probesSent = 0
        var finished = false

        mutating func take() -> [PortResult] {
            defer { pending = []; pending.reserveCapacity(64) }
            return pending
        }

        mutating func takeDown() -> [IPAddress] {
            defer { down = [] }
            return down
        }
    }

    private let continuation: AsyncStream<ScanEvent>.Continuation
    private let state: Mutex<State>
    private let maxBatch: Int
    private let interval: Duration

    /// `--packet-trace`: where trace lines go (nil: not tracing). A sink made for a part of the
    /// scan (ConnectPing's) shares its parent's, so every line reaches the one stream.
    let tracer: PacketTracer?

    public init(_ continuation: AsyncStream<ScanEvent>.Continuation, maxBatch: Int = 512,
                interval: Duration = .milliseconds(20), tracer: PacketTracer? = nil) {
        self.continuation = continuation
        self.maxBatch = maxBatch
        self.interval = interval
        self.tracer = tracer
        state = Mutex(State(lastFlush: .now))
    }

    /// A trace line, after the results found before it.
    func trace(_ line: String) {
        guard let tracer else { return }
        flush()
        tracer.continuation.yield(.trace(line))
    }

    /// A final state for one (host, port): counts toward progress.
    public func result(_ result: PortResult) {
        let batch: [PortResult]? = state.withLock { s in
            s.pending.append(result)
            s.completed += 1
            return s.pending.count >= maxBatch ? s.take() : nil
        }
        if let batch { continuation.yield(.results(batch)) }
    }

    /// Many final states at once, as a prober batches them locally: one lock per batch instead of
    /// one per port.
    public func results(_ batch: [PortResult]) {
        guard !batch.isEmpty else { return }
        let ready: [PortResult]? = state.withLock { s in
            s.pending.append(contentsOf: batch)
            s.completed += batch.count
            return s.pending.count >= maxBatch ? s.take() : nil
        }
        if let ready { continuation.yield(.results(ready)) }
    }

    /// A host found down: handed on with others, in batches as results are (see `ScanEvent.hostsDown`).
    public func hostDown(_ address: IPAddress) {
        let batch: [IPAddress]? = state.withLock { s in
            s.down.append(address)
            return s.down.count >= maxBatch ? s.takeDown() : nil
        }
        if let batch { continuation.yield(.hostsDown(DownHosts(batch))) }
    }

    public func probeSent(_ count: Int = 1) {
        state.withLock { $0.probesSent += count }
    }

    /// Work finished without a port result (a host found down, a ping-sweep host answered).
    public func completed(_ count: Int) {
        state.withLock { $0.completed += count }
    }

    public var probesSent: Int { state.withLock { $0.probesSent } }
    public var completedCount: Int { state.withLock { $0.completed } }

    /// Any other event: pending results go first so consumers see them in order.
    public func send(_ event: ScanEvent) {
        flush()
        continuation.yield(event)
    }

    /// Called from the prober loop; cheap when nothing is due.
    public func flushIfDue(now: ContinuousClock.Instant = .now) {
        let due: (results: [PortResult], down: [IPAddress])? = state.withLock { s in
            guard !s.pending.isEmpty || !s.down.isEmpty, now - s.lastFlush >= interval else { return nil }
            s.lastFlush = now
            return (s.take(), s.takeDown())
        }
        if let due { yield(due.results, due.down) }
    }

    public func flush() {
        let (batch, down) = state.withLock { ($0.take(), $0.takeDown()) }
        yield(batch, down)
    }

    private func yield(_ results: [PortResult], _ down: [IPAddress]) {
        if !results.isEmpty { continuation.yield(.results(results)) }
        if !down.isEmpty { continuation.yield(.hostsDown(DownHosts(down))) }
    }

    /// Last event; later calls are ignored so every exit path can call it.
    public func finish(_ summary: ScanSummary) {
        let first = state.withLock { s in
            defer { s.finished = true }
            return !s.finished
        }
        guard first else { return }
        flush()
        continuation.yield(.finished(summary))
        continuation.finish()
    }
}
