import PortgridCore

/// Raw-packet port scans: SYN, FIN, NULL, Xmas, ACK and UDP, sent from a raw socket and matched by
/// cookie on filtered AF_PACKET sockets (see `RawProbeEngine`). IPv4 and IPv6 targets run in one
/// engine, one permutation and one set of passes: only the packet writer and the reply reader
/// differ by family.
enum RawScan {
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64, shard: Shard = .whole,
                    finished: FinishedWork = .none) throws {
        guard plan.technique.scansPorts, plan.technique != .connect else {
            throw ScanError.unsupported("\(plan.technique.title) is not a raw port scan")
        }
        guard !plan.ports.isEmpty, !plan.hosts.isEmpty else { return }
        let ports = SourcePortRange.avoiding(ephemeral: RawKernelSettings.ephemeralPorts)
        let cookie = ProbeCookie(seed: seed, ports: ports)
        var job = try job(.ports(plan.technique), hosts: plan.hosts, seed: seed)
        job.ports = plan.ports
        job.shard = shard
        job.finished = finished
        let io = try RawSocketIO(repliesTo: ports, echoIdentifier: cookie.echoIdentifier, ipv4: !job.hosts.isEmpty,
                                 ipv6: !job.ipv6Hosts.isEmpty)
        job.sequential = plan.sequential
        let reporter = RawOutcomeReporter(sink: sink, job: job, hostnames: plan.hostnames)
        let engine = RawProbeEngine(job: job, io: io, control: control, sink: sink, reporter: reporter,
                                    cookie: cookie, progressTotal: plan.progressWork)
        try engine.run()
    }

    /// A job over `hosts` in the plan's order, IPv4 first (the engine's index space), each with
    /// the source address its route gives.
    ///
    /// The plan's permutation walks host indices, so IPv4-first reorders a mixed list's indices
    /// only; every (host, port) pair is still probed once.
    static func job(_ kind: RawJob.Kind, hosts: [IPAddress], seed: UInt64) throws(ScanError) -> RawJob {
        var ipv4: [UInt32] = [], ipv6: [UInt128] = []
        for host in hosts {
            switch host {
            case .v4(let address): ipv4.append(address.value)
            case .v6(let address): ipv6.append(address.value)
            }
        }
        var job = RawJob(kind: kind, hosts: ipv4, sources: try sources(for: ipv4), ports: PortSet(), seed: seed)
        job.ipv6Hosts = ipv6
        job.ipv6Sources = try sources(for: ipv6)
        return job
    }

    static func sources(for hosts: [UInt32]) throws(ScanError) -> [UInt32] {
        guard !hosts.isEmpty else { return [] }
        do {
            return try RawSourceAddresses().lookup(hosts)
        } catch {
            throw error.scanError("route lookup")
        }
    }

    static func sources(for hosts: [UInt128]) throws(ScanError) -> [UInt128] {
        guard !hosts.isEmpty else { return [] }
        do {
            return try RawSourceAddresses().lookup(hosts)
        } catch {
            throw error.scanError("route lookup")
        }
    }
}
