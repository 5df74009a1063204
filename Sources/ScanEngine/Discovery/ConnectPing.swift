import Dispatch
import PortgridCore
import Synchronization

/// Discovery with no privileges at all (no raw sockets, no ICMP datagram sockets): nmap's fallback,
/// a TCP connect to ports 80 and 443 (or the ports `-PS`/`-PA` name). A host that accepts or refuses
/// any one is up. It runs the connect engine on its own event sink and reads the port results back.
enum ConnectPing {
    static let ports = PortSet(ports: [80, 443])

    struct Found: Sendable {
        var reason: Reason
        var rtt: Duration?
    }

    static func sweep(hosts: [IPAddress], plan: ScanPlan, control: ScanControl, sink: EventSink,
                      seed: UInt64, ports: PortSet = ConnectPing.ports) throws -> [IPAddress: Found] {
        guard !hosts.isEmpty else { return [:] }
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let inner = EventSink(continuation, tracer: sink.tracer)
        var subplan = ScanPlan(technique: .connect, hosts: HostList(hosts), ports: ports, timing: plan.timing)
        subplan.packets = plan.packets
        defer { sink.probeSent(inner.probesSent) }
        try ConnectScan.run(plan: subplan, control: control, sink: inner, seed: seed)
        inner.finish(ScanSummary(outcome: .completed, elapsed: .zero, probesSent: inner.probesSent))
        return collect(stream)
    }

    /// The stream is already finished; reading it takes a task, and the scan thread (not a pool
    /// thread) waits for it.
    private static func collect(_ stream: AsyncStream<ScanEvent>) -> [IPAddress: Found] {
        let found = Mutex<[IPAddress: Found]>([:])
        let done = DispatchSemaphore(value: 0)
        Task {
            for await event in stream {
                guard case .results(let results) = event else { continue }
                found.withLock { table in
                    // Either answer proves the host up; an accepted connection says the most.
                    for result in results where result.state == .open || result.state == .closed {
                        if table[result.host] == nil || result.state == .open {
                            table[result.host] = Found(reason: result.reason, rtt: result.rtt)
                        }
                    }
                }
            }
            done.signal()
        }
        done.wait()
        return found.withLock { $0 }
    }
}
