import PortgridCore

/// What one run of the raw engine probes: hosts (each with the source address the routing table
/// picks for it) and, for a port scan, the ports. IPv4 and IPv6 hosts share one index space, IPv4
/// first: host `hosts.count + i` is `ipv6Hosts[i]`. Everything but packet writing and reading
/// (passes, timings, pacing, reports) works on indices and never asks which family a host is.
struct RawJob: Sendable {
    enum Kind: Hashable, Sendable {
        case ports(Technique)
        /// Host discovery: a work item per probe in `discoveryProbes`; an answer to any settles
        /// the host (`PassScheduler.settlesHost`).
        case discovery
    }

    var kind: Kind
    var hosts: [UInt32]
    var sources: HostSources<UInt32>
    var ipv6Hosts: [UInt128] = []
    var ipv6Sources: HostSources<UInt128> = []
    var ports: PortSet
    var seed: UInt64
    var shard: Shard = .whole
    /// `--resume`: pairs an earlier run decided; they start out answered and are never sent.
    var finished: FinishedWork = .none
    /// `-r`: the passes walk the ports in order.
    var sequential = false
    /// What each host is sent in discovery: all of `DiscoveryProbes` on raw sockets, the echo
    /// alone on an unprivileged ICMP socket.
    var discoveryProbes: [(kind: ProbeKind, port: UInt16)] = DiscoveryProbes.all
    /// `--ttl` and `--badsum` for the probe writer (`-g` is in the cookie, `-S` in `sources`, `-e`
    /// in the sockets).
    var packets = PacketOptions.standard

    var hostCount: Int { hosts.count + ipv6Hosts.count }

    /// Host `index` as an address of its family.
    func address(_ index: Int) -> IPAddress {
        index < hosts.count ? .v4(IPv4Address(hosts[index])) : .v6(IPv6Address(ipv6Hosts[index - hosts.count]))
    }

    var itemCount: Int {
        switch kind {
        case .ports: ports.count
        case .discovery: discoveryProbes.count
        }
    }

    /// The (host, item) pairs of `finished`, by index (port scans only; a sweep is resumed by
    /// leaving finished hosts out of the job).
    func finishedItems() -> [(host: Int, items: [Int])] {
        guard case .ports = kind, !finished.isEmpty else { return [] }
        return (0..<hostCount).compactMap { host in
            let address = address(host)
            if finished.skipsAll(address) { return (host, Array(0..<ports.count)) }
            guard let done = finished.ports[address] else { return nil }
            return (host, done.compactMap { ports.index(of: $0) })
        }
    }
}

extension Technique {
    /// The state a port gets when every probe went unanswered (nmap's "no-response" row).
    var silentState: PortState {
        switch self {
        case .fin, .null, .xmas, .udp: .openFiltered
        default: .filtered
        }
    }
}
