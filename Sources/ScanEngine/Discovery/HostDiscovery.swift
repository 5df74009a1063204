import PortgridCore

/// Host discovery: the `-sn` ping sweep, and the sweep before a port scan (unless `-Pn`). This
/// machine's own addresses (and all of 127/8) are up without a probe, as nmap reports them
/// ("localhost-response"). The rest are probed with the best means the privileges allow: raw
/// probes (`probes`: by default ICMP echo + TCP SYN 443 + TCP ACK 80, or what -PS/-PA/-PU/-PE/-PP
/// ask for; ICMPv6 echo for IPv6 hosts,
/// whose neighbour advertisements also prove them up on a directly attached link); else ICMP echo
/// on an unprivileged ICMP socket (when the probes include the echo) and TCP connects to the
/// probes' TCP ports (80 and 443 by default), IPv6 hosts without raw sockets too.
enum HostDiscovery {
    /// Returns, for each of `plan.hosts` in order, whether it was found up: a flag a host (64 KB
    /// for a /16), where a set of the addresses held 4 MB and its making as much again.
    @discardableResult
    static func sweep(plan: ScanPlan, control: ScanControl, sink: EventSink, reportDown: Bool,
                      probes: DiscoveryProbeSet = .standard) throws -> [Bool] {
        let countsHosts = plan.technique == .ping
        let seed = UInt64.random(in: 1...UInt64.max)
        let local = Set((try? RawSyscalls.interfaceIPv4Addresses()) ?? [])
        let local6 = Set((try? RawSyscalls.interfaceIPv6Addresses()) ?? [])
        let raw = Privileges.canUseRawSockets
        var up = [Bool](repeating: false, count: plan.hosts.count)
        // The hosts to probe, each with its index in `plan.hosts` (`at`).
        var ipv4 = Probed<UInt32>(), ipv6 = Probed<UInt128>()
        for (index, host) in plan.hosts.enumerated() {
            switch host {
            case .v4(let address) where address.isLoopback || local.contains(address.value):
                reportUp(host, .localhostResponse, nil, plan, sink, countsHosts)
                up[index] = true
            case .v4(let address):
                ipv4.append(address.value, at: index)
            case .v6(let address) where address.isLoopback || local6.contains(address.value):
                reportUp(host, .localhostResponse, nil, plan, sink, countsHosts)
                up[index] = true
            case .v6(let address):
                ipv6.append(address.value, at: index)
            }
        }
        // Without raw sockets the TCP probes become connects (nmap's fallback), and the default's
        // echo alone stands for the whole set when an ICMP socket is there, as before.
        let connectPorts = probes == .standard ? ConnectPing.ports : PortSet(ports: probes.tcpPorts)
        // UDP and timestamp probes have no unprivileged stand-in that still means what nmap's does.
        if !raw && !(ipv4.isEmpty && ipv6.isEmpty) && (!probes.udpPorts.isEmpty || probes.timestamp) {
            throw ScanError.unsupported("-PU and -PP send raw packets: run as root (or with CAP_NET_RAW), or use -PS/-PA")
        }
        if raw && !(ipv4.isEmpty && ipv6.isEmpty) && !control.isCancelled {
            // Job index i is ipv4's i-th host, then ipv6's (`RawJob`'s order).
            let found = try rawSweep(ipv4.addresses, ipv6.addresses, plan, control, sink, reportDown, countsHosts,
                                     seed, probes)
            for (i, isUp) in found.enumerated() where isUp {
                up[i < ipv4.count ? ipv4.at(i) : ipv6.at(i - ipv4.count)] = true
            }
            ipv4 = Probed()
            ipv6 = Probed()
        }
        // The kernel builds an ICMP socket's packets: they could not carry --ttl, -S, -e, -g or
        // --badsum as asked, so with any of those the sweep connects instead.
        let icmpSocketRefusesOptions = ICMPDatagramIO.isAvailable && !plan.packets.isStandard
        // What is left for the connects, IPv4 first, with their indices in `plan.hosts`.
        var connects: [(host: IPAddress, at: Int)] = ipv6.addresses.indices.map {
            (.v6(IPv6Address(ipv6.addresses[$0])), ipv6.at($0))
        }
        if !ipv4.isEmpty && !control.isCancelled {
            if ICMPDatagramIO.isAvailable && probes.echo && (probes == .standard || connectPorts.isEmpty)
                && plan.packets.isStandard {
                let found = try datagramSweep(ipv4.addresses, plan, control, sink, reportDown, countsHosts, seed)
                for (i, isUp) in found.enumerated() where isUp { up[ipv4.at(i)] = true }
            } else {
                connects = ipv4.addresses.indices.map {
                    (.v4(IPv4Address(ipv4.addresses[$0])), ipv4.at($0))
                } + connects
            }
        }
        if !connects.isEmpty && !control.isCancelled {
            guard !connectPorts.isEmpty else {
                // Say what actually stands in the way: the flags, when an ICMP socket was there.
                let why = icmpSocketRefusesOptions && connects.contains { !$0.host.isIPv6 }
                    ? "-PE without raw sockets pings through the kernel's ICMP socket, which cannot carry --ttl, -S, -e, -g or --badsum"
                    : "-PE alone cannot find IPv6 hosts, nor IPv4 ones without an ICMP socket"
                throw ScanError.unsupported(why + "; add -PS or -PA ports, or use -Pn")
            }
            let found = try ConnectPing.sweep(hosts: connects.map(\.host), plan: plan, control: control, sink: sink,
                                              seed: seed, ports: connectPorts)
            for (host, at) in connects where !control.isCancelled {
                if let hit = found[host] {
                    reportUp(host, hit.reason, hit.rtt, plan, sink, countsHosts)
                    up[at] = true
                } else {
                    if reportDown { sink.hostDown(host) }
                    if countsHosts { sink.completed(1) }
                }
            }
        }
        return up
    }

    /// The hosts of one family to probe, and each one's index in the plan's host list. The indices
    /// are kept (4 bytes a host) only once one differs from its position: in the common sweep, no
    /// local address among the targets, the IPv4 hosts are the plan's own order and keep none.
    private struct Probed<Address> {
        var addresses: [Address] = []
        /// Empty while every index so far equals its position.
        private var indices: [Int32] = []
        var count: Int { addresses.count }
        var isEmpty: Bool { addresses.isEmpty }

        /// The plan index of the `i`-th host.
        func at(_ i: Int) -> Int { indices.isEmpty ? i : Int(indices[i]) }

        mutating func append(_ address: Address, at index: Int) {
            if indices.isEmpty && index != addresses.count {
                indices = (0 ..< Int32(addresses.count)).map { $0 }
            }
            if !indices.isEmpty { indices.append(Int32(index)) }
            addresses.append(address)
        }
    }

    private static func reportUp(_ host: IPAddress, _ reason: Reason, _ rtt: Duration?, _ plan: ScanPlan,
                                 _ sink: EventSink, _ countsHosts: Bool) {
        sink.hostUp(HostResult(address: host, hostname: plan.hostnames[host], status: .up, reason: reason, rtt: rtt))
        if countsHosts { sink.completed(1) }
    }

    private static func rawSweep(_ ipv4: [UInt32], _ ipv6: [UInt128], _ plan: ScanPlan, _ control: ScanControl,
                                 _ sink: EventSink, _ reportDown: Bool, _ countsHosts: Bool, _ seed: UInt64,
                                 _ probes: DiscoveryProbeSet) throws -> [Bool] {
        let interface = try NetworkInterface.chosen(plan.packets)
        let ports = SourcePortRange.forProbes(fixed: plan.packets.sourcePort)
        let cookie = ProbeCookie(seed: seed, ports: ports)
        var job = try RawScan.job(.discovery, ipv4: ipv4, ipv6: ipv6, seed: seed, packets: plan.packets,
                                  interface: interface)
        job.discoveryProbes = DiscoveryProbes.packets(for: probes)
        let io = try RawSocketIO(repliesTo: ports, echoIdentifier: cookie.echoIdentifier, ipv4: !job.hosts.isEmpty,
                                 ipv6: !job.ipv6Hosts.isEmpty, interface: interface,
                                 linkLayer: Self.linkLayer(plan.packets.linkLayer))
        return try run(job, io, cookie, plan, control, sink, reportDown, countsHosts)
    }

    /// A sweep sends each host one to three probes: the route lookup a frame needs for each host
    /// costs more than the frames save (a /24 sweep took 25 ms longer), so unless `--send-eth` asks
    /// for frames a sweep's probes are IP packets.
    static func linkLayer(_ asked: LinkLayerChoice) -> LinkLayerChoice { asked == .automatic ? .ip : asked }

    private static func datagramSweep(_ hosts: [UInt32], _ plan: ScanPlan, _ control: ScanControl,
                                      _ sink: EventSink, _ reportDown: Bool, _ countsHosts: Bool,
                                      _ seed: UInt64) throws -> [Bool] {
        let ports = SourcePortRange.avoiding(ephemeral: RawKernelSettings.ephemeralPorts)
        let cookie = ProbeCookie(seed: seed, ports: ports)
        let io: ICMPDatagramIO
        do { io = try ICMPDatagramIO(echoIdentifier: cookie.echoIdentifier) } catch { throw error.scanError("socket") }
        var job = RawJob(kind: .discovery, hosts: hosts, sources: HostSources(same: 0),
                         ports: PortSet(), seed: seed)
        job.discoveryProbes = [(.icmpEcho, 0)]
        return try run(job, io, cookie, plan, control, sink, reportDown, countsHosts)
    }

    private static func run(_ job: RawJob, _ io: any RawPacketIO, _ cookie: ProbeCookie, _ plan: ScanPlan,
                            _ control: ScanControl, _ sink: EventSink, _ reportDown: Bool,
                            _ countsHosts: Bool) throws -> [Bool] {
        let reporter = RawOutcomeReporter(sink: sink, job: job, hostnames: plan.hostnames, reportDown: reportDown,
                                          countsHosts: countsHosts)
        let engine = RawProbeEngine(job: job, io: io, control: control, sink: sink, reporter: reporter, cookie: cookie,
                                    progressTotal: countsHosts ? plan.progressWork : nil)
        try engine.run()
        return engine.isUp
    }
}
