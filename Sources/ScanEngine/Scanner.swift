import Threads
import FoundationEssentials
import PortgridCore

/// The engine's front door: `run` starts a scan on its own thread and returns its events.
/// Probers block in epoll/recv, so they never run on the cooperative pool (2 cores = 2 pool
/// threads; one blocked scan would starve the UI).
public struct Scanner: Sendable {
    public init() {}

    /// Starts the scan. Cancelling the consumer (or `control.cancel()`) stops probing within one
    /// prober loop turn (a few milliseconds); the stream always ends with `.finished`.
    public func run(_ request: ScanRequest, control: ScanControl? = nil) -> AsyncStream<ScanEvent> {
        let control = control ?? ScanControl(timing: request.timing)
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        continuation.onTermination = { _ in control.cancel() }
        let sink = EventSink(continuation, tracer: request.packetTrace ? PacketTracer(continuation) : nil)
        OSThread.start(name: "portgrid-scan", stackSize: 1 << 22) {
            ScanSession(request: request, control: control, sink: sink).run()
        }
        return stream
    }
}
