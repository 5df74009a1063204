import PortgridCore
import Synchronization

/// Collects results and host news from a prober thread and hands them to the AsyncStream in
/// batches (every `maxBatch` items or `interval`, whichever comes first). Never drops: the stream
/// is unbounded and a consumer that falls behind only gets bigger batches.
///
/// Three kinds are batched: port results, hosts found up (`hostUp`) and hosts found down
/// (`hostDown`). At most one kind is pending at a time (adding another kind hands the pending one
/// on first), so the stream keeps the order things were sent in.
public final class EventSink: Sendable {
    private enum Kind { case results, hostsUp, hostsDown }

    private struct State {
        var pending = PortResults()
        var up: [HostResult] = []
        var down = AddressColumn()
        var lastFlush: ContinuousClock.Instant
        var completed = 0
        var probesSent = 0
        var finished = false

        var pendingCount: Int { pending.count + up.count + down.count }

        /// Everything pending, as the events to yield.
        mutating func takeAll() -> [ScanEvent] {
            takeOthers(than: nil)
        }

        /// The pending items of every kind but `kind`, as the events to yield before one of `kind`
        /// is added.
        mutating func takeOthers(than kind: Kind?) -> [ScanEvent] {
            var events: [ScanEvent] = []
            if kind != .results, !pending.isEmpty {
                events.append(.results(pending))
                pending = PortResults()
            }
            if kind != .hostsUp, !up.isEmpty {
                events.append(.hosts(up))
                up = []
            }
            if kind != .hostsDown, !down.isEmpty {
                events.append(.hostsDown(DownHosts(down)))
                down = AddressColumn()
            }
            return events
        }
    }

    private let continuation: AsyncStream<ScanEvent>.Continuation
    private let state: Mutex<State>
    private let maxBatch: Int
    private let interval: Duration

    /// When the scan started: its summary's elapsed time and every engine's progress count from it.
    let started: ContinuousClock.Instant

    /// `--packet-trace`: where trace lines go (nil: not tracing). A sink made for a part of the
    /// scan (ConnectPing's) shares its parent's, so every line reaches the one stream.
    let tracer: PacketTracer?

    public init(_ continuation: AsyncStream<ScanEvent>.Continuation, maxBatch: Int = 512,
                interval: Duration = .milliseconds(20), tracer: PacketTracer? = nil) {
        self.continuation = continuation
        started = .now
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
        results(CollectionOfOne(result))
    }

    /// Many final states at once, as a prober batches them locally: one lock per batch instead of
    /// one per port. A batch bigger than `maxBatch` (a pass's end calling a dead host's 65,535 ports
    /// silent) goes on in events of `maxBatch`, so the consumer starts on the first while the rest
    /// are made, and neither the batch nor a pending array holds them all: with `-sS -Pn -p-` of a
    /// host that drops everything the two were 4 MB of a 7.7 MB heap peak.
    public func results(_ batch: some Collection<PortResult>) {
        var start = batch.startIndex
        while start != batch.endIndex {
            add(.results) { s in
                // What fills the pending results to `maxBatch`, which `add` then hands on.
                let room = Swift.max(1, maxBatch - s.pending.count)
                let end = batch.index(start, offsetBy: room, limitedBy: batch.endIndex) ?? batch.endIndex
                s.pending.append(contentsOf: batch[start..<end])
                s.completed += batch.distance(from: start, to: end)
                start = end
            }
        }
    }

    /// A host found up by discovery: handed on with others, as results are (a /16 sweep finds
    /// 65,536, and an event each queued them faster than the TUI took them).
    public func hostUp(_ host: HostResult) {
        add(.hostsUp) { $0.up.append(host) }
    }

    /// A host found down: handed on with others (see `ScanEvent.hostsDown`).
    public func hostDown(_ address: IPAddress) {
        add(.hostsDown) { $0.down.append(address) }
    }

    private func add(_ kind: Kind, _ body: (inout State) -> Void) {
        let ready: [ScanEvent] = state.withLock { s in
            var ready = s.takeOthers(than: kind)
            body(&s)
            if s.pendingCount >= maxBatch { ready += s.takeAll() }
            return ready
        }
        for event in ready { continuation.yield(event) }
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

    /// Any other event: pending results and hosts go first so consumers see them in order.
    public func send(_ event: ScanEvent) {
        flush()
        continuation.yield(event)
    }

    /// Called from the prober loop; cheap when nothing is due.
    public func flushIfDue(now: ContinuousClock.Instant = .now) {
        let due: [ScanEvent] = state.withLock { s in
            guard s.pendingCount > 0, now - s.lastFlush >= interval else { return [] }
            s.lastFlush = now
            return s.takeAll()
        }
        for event in due { continuation.yield(event) }
    }

    public func flush() {
        for event in state.withLock({ $0.takeAll() }) { continuation.yield(event) }
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
