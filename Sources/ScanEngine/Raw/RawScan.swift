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
        let interface = try NetworkInterface.chosen(plan.packets)
        let ports = SourcePortRange.forProbes(fixed: plan.packets.sourcePort)
        let cookie = ProbeCookie(seed: seed, ports: ports)
        var job = try job(.ports(plan.technique), hosts: plan.hosts, seed: seed, packets: plan.packets,
                          interface: interface)
        job.ports = plan.ports
        job.shard = shard
        job.finished = finished
        let io = try RawSocketIO(repliesTo: ports, echoIdentifier: cookie.echoIdentifier, ipv4: !job.hosts.isEmpty,
                                 ipv6: !job.ipv6Hosts.isEmpty, interface: interface,
                                 linkLayer: plan.packets.linkLayer)
        job.sequential = plan.sequential
        let reporter = RawOutcomeReporter(sink: sink, job: job, hostnames: plan.hostnames)
        let engine = RawProbeEngine(job: job, io: io, control: control, sink: sink, reporter: reporter,
                                    cookie: cookie, progressTotal: plan.progressWork)
        try engine.run()
    }

    /// A job over `hosts` in the plan's order, IPv4 first (the engine's index space), each with
    /// the source address its route gives (through `interface`, with `-e`), or `-S`'s address.
    ///
    /// The plan's permutation walks host indices, so IPv4-first reorders a mixed list's indices
    /// only; every (host, port) pair is still probed once.
    static func job(_ kind: RawJob.Kind, hosts: some Sequence<IPAddress>, seed: UInt64, packets: PacketOptions = .standard,
                    interface: NetworkInterface? = nil) throws(ScanError) -> RawJob {
        var ipv4: [UInt32] = [], ipv6: [UInt128] = []
        for host in hosts {
            switch host {
            case .v4(let address): ipv4.append(address.value)
            case .v6(let address): ipv6.append(address.value)
            }
        }
        return try job(kind, ipv4: ipv4, ipv6: ipv6, seed: seed, packets: packets, interface: interface)
    }

    /// The same from addresses already split by family (discovery has them so).
    static func job(_ kind: RawJob.Kind, ipv4: [UInt32], ipv6: [UInt128], seed: UInt64,
                    packets: PacketOptions = .standard,
                    interface: NetworkInterface? = nil) throws(ScanError) -> RawJob {
        let lookup = RawSourceAddresses(interface: interface)
        var job = RawJob(kind: kind, hosts: ipv4, sources: [], ports: PortSet(), seed: seed)
        job.ipv6Hosts = ipv6
        // `-S` is of the targets' family (`ScanSession` checked `PacketOptions.hostOfOtherFamily`).
        if case .v4(let source)? = packets.sourceAddress {
            job.sources = HostSources(same: source.value)
        } else {
            job.sources = HostSources(try sources(for: ipv4, lookup))
        }
        if case .v6(let source)? = packets.sourceAddress {
            job.ipv6Sources = HostSources(same: source.value)
        } else {
            job.ipv6Sources = HostSources(try sources(for: ipv6, lookup))
        }
        job.packets = packets
        return job
    }

    static func sources(for hosts: [UInt32], _ lookup: RawSourceAddresses = RawSourceAddresses()) throws(ScanError) -> [UInt32] {
        guard !hosts.isEmpty else { return [] }
        do {
            return try lookup.lookup(hosts)
        } catch {
            throw error.scanError("route lookup")
        }
    }

    static func sources(for hosts: [UInt128], _ lookup: RawSourceAddresses = RawSourceAddresses()) throws(ScanError) -> [UInt128] {
        guard !hosts.isEmpty else { return [] }
        do {
            return try lookup.lookup(hosts)
        } catch {
            throw error.scanError("route lookup")
        }
    }
}
