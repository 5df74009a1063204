import PortgridCore

/// `--packet-trace`: the clock trace lines are stamped against (the scan's start, as nmap's) and
/// the stream they go to. Held by the scan's `EventSink`; engines ask `sink.tracer` whether to
/// describe their packets at all, so an untraced scan pays one nil check per batch.
public final class PacketTracer: Sendable {
    let continuation: AsyncStream<ScanEvent>.Continuation
    let started: ContinuousClock.Instant

    init(_ continuation: AsyncStream<ScanEvent>.Continuation, started: ContinuousClock.Instant = .now) {
        self.continuation = continuation
        self.started = started
    }

    func elapsed(at now: ContinuousClock.Instant = .now) -> Duration { now - started }
}
