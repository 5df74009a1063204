import PortgridCore

/// The probes a raw ping sweep sends each host. By default, as nmap does when privileged: an ICMP
/// echo, a SYN to 443 and an ACK to 80, so a host that drops pings is still found by its TCP
/// stack (any SYN/ACK or RST proves it there). `-PS`, `-PA`, `-PU`, `-PE` and `-PP` choose others
/// (`DiscoveryProbeSet`).
enum DiscoveryProbes {
    static let synPort: UInt16 = 443
    static let ackPort: UInt16 = 80

    static let all = packets(for: .standard)

    /// What each host is sent for `set`, in nmap's order: the echo, the SYNs, the ACKs, the UDP
    /// datagrams, then the timestamp request.
    static func packets(for set: DiscoveryProbeSet) -> [(kind: ProbeKind, port: UInt16)] {
        (set.echo ? [(ProbeKind.icmpEcho, UInt16(0))] : [])
            + set.synPorts.map { (ProbeKind.tcp(.syn), $0) }
            + set.ackPorts.map { (ProbeKind.tcp(.ack), $0) }
            + set.udpPorts.map { (ProbeKind.udp, $0) }
            + (set.timestamp ? [(ProbeKind.icmpTimestamp, UInt16(0))] : [])
    }

    /// One probe of the set, as a key.
    struct Probe: Hashable, Sendable {
        var kind: ProbeKind
        var port: UInt16
    }

    /// Each probe's index in `packets`: a sweep's work items are its probes.
    static func items(_ packets: [(kind: ProbeKind, port: UInt16)]) -> [Probe: Int] {
        var items: [Probe: Int] = [:]
        for (index, probe) in packets.enumerated() where items[Probe(kind: probe.kind, port: probe.port)] == nil {
            items[Probe(kind: probe.kind, port: probe.port)] = index
        }
        return items
    }

    /// The TCP probes sent to each port, for reading a reply from that port back.
    static func tcpKinds(_ packets: [(kind: ProbeKind, port: UInt16)]) -> [UInt16: [ProbeKind]] {
        var kinds: [UInt16: [ProbeKind]] = [:]
        for (kind, port) in packets {
            if case .tcp = kind { kinds[port, default: []].append(kind) }
        }
        return kinds
    }

    /// The ports UDP probes went to (`-PU`).
    static func udpPorts(_ packets: [(kind: ProbeKind, port: UInt16)]) -> Set<UInt16> {
        Set(packets.filter { $0.kind == .udp }.map(\.port))
    }
}
