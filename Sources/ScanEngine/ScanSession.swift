import PortgridCore

/// One scan from start to `.finished`, on the scan thread: resolve, choose the technique the
/// privileges allow, discover hosts, probe ports, report.
struct ScanSession {
    let request: ScanRequest
    let control: ScanControl
    let sink: EventSink

    func run() {
        let started = ContinuousClock.now
        do {
            let resolved = try Resolver.resolve(request.targets, reverseDNS: request.reverseDNS)
            for note in resolved.notes { sink.send(.notice(Notice(.info, note))) }
            guard !resolved.hosts.isEmpty else { throw ScanError.noTargets }
            let (technique, notice) = try TechniqueChoice.effective(
                request.technique, rawAllowed: Privileges.canUseRawSockets, hosts: resolved.hosts)
            if let notice { sink.send(.notice(notice)) }
            var plan = ScanPlan(technique: technique, hosts: resolved.hosts, hostnames: resolved.names,
                                ports: request.portSet, timing: control.current.timing)
            if technique == .ping {
                sink.send(.started(plan))
                try HostDiscovery.sweep(plan: plan, control: control, sink: sink, reportDown: true)
            } else {
                if !request.skipDiscovery {
                    let up = try HostDiscovery.sweep(plan: plan, control: control, sink: sink, reportDown: true)
                    plan.hosts = plan.hosts.filter { up.contains($0) }
                }
                sink.send(.started(plan))
                if !plan.hosts.isEmpty && !control.isCancelled {
                    try probe(plan)
                }
            }
            finish(control.isCancelled ? .cancelled : .completed, started)
        } catch {
            sink.send(.notice(Notice(.error, "\(error)")))
            finish(.failed, started, error: "\(error)")
        }
    }

    private func probe(_ plan: ScanPlan) throws {
        switch plan.technique {
        case .connect: try ConnectScan.run(plan: plan, control: control, sink: sink, seed: request.seed)
        case .syn, .fin, .null, .xmas, .ack, .udp:
            try RawScan.run(plan: plan, control: control, sink: sink, seed: request.seed)
        case .ping: break
        }
    }

    private func finish(_ outcome: ScanSummary.Outcome, _ started: ContinuousClock.Instant, error: String? = nil) {
        sink.finish(ScanSummary(outcome: outcome, elapsed: .now - started, probesSent: sink.probesSent, error: error))
    }
}
