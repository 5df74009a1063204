import PortgridCore

/// Raw-packet port scans: SYN, FIN, NULL, Xmas, ACK and UDP, sent from a raw socket and matched by
/// cookie on a filtered AF_PACKET socket (see `RawProbeEngine`). IPv4 only for now: IPv6 targets
/// are left out with a notice (a connect scan covers them).
enum RawScan {
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64, shard: Shard = .whole,
                    finished: FinishedWork = .none) throws {
        guard plan.technique.scansPorts, plan.technique != .connect else {
            throw ScanError.unsupported("\(plan.technique.title) is not a raw port scan")
        }
        guard !plan.ports.isEmpty else { return }
        let hosts = try ipv4Hosts(plan, sink: sink)
        guard !hosts.isEmpty else { return }
        let ports = SourcePortRange.avoiding(ephemeral: RawKernelSettings.ephemeralPorts)
        let cookie = ProbeCookie(seed: seed, ports: ports)
        let io = try RawSocketIO(filter: PacketFilterProgram.replies(to: ports, echoIdentifier: cookie.echoIdentifier))
        var job = RawJob(kind: .ports(plan.technique), hosts: hosts, sources: try sources(for: hosts),
                         ports: plan.ports, seed: seed, shard: shard, finished: finished)
        job.sequential = plan.sequential
        let reporter = RawOutcomeReporter(sink: sink, job: job, hostnames: plan.hostnames)
        let engine = RawProbeEngine(job: job, io: io, control: control, sink: sink, reporter: reporter,
                                    cookie: cookie, progressTotal: plan.totalWork)
        try engine.run()
    }

    /// The plan's IPv4 hosts; IPv6 ones are skipped with one notice (and fail the scan when they
    /// are all there is).
    static func ipv4Hosts(_ plan: ScanPlan, sink: EventSink) throws(ScanError) -> [UInt32] {
        let hosts = plan.hosts.compactMap { host -> UInt32? in
            if case .v4(let address) = host { address.value } else { nil }
        }
        let skipped = plan.hosts.count - hosts.count
        if skipped > 0 {
            let what = "\(plan.technique.title) scan (\(plan.technique.flag))"
            guard !hosts.isEmpty else {
                throw ScanError.unsupported("\(what) of IPv6 targets is not supported yet; use -sT for IPv6")
            }
            sink.send(.notice(Notice(.warning, "\(what) skips \(skipped) IPv6 target\(skipped == 1 ? "" : "s"): "
                                     + "raw IPv6 probing is not supported yet; use -sT for them")))
        }
        return hosts
    }

    static func sources(for hosts: [UInt32]) throws(ScanError) -> [UInt32] {
        do {
            return try RawSourceAddresses().lookup(hosts)
        } catch {
            throw error.scanError("route lookup")
        }
    }
}
