import PortgridCore

/// `-PS`, `-PA`, `-PU`, `-PE`, `-PP` into the probes host discovery sends (`DiscoveryProbeSet`).
/// nmap writes the port lists joined to the flag (`-PS22,80`) and allows the flag alone (port 80;
/// 40125 for `-PU`): `NmapSpellings` turns those into what the parser reads.
enum DiscoveryProbeFlags {
    /// The discovery-probe flags given, in help order.
    static func given(_ command: PortgridCommand) -> [String] {
        let discovery = command.discovery
        return [("-PS", discovery.synPing != nil), ("-PA", discovery.ackPing != nil), ("-PU", discovery.udpPing != nil),
                ("-PE", discovery.echoPing), ("-PP", discovery.timestampPing)].filter(\.1).map(\.0)
    }

    /// The probes the flags ask for; nmap's default set when none is given.
    static func probes(_ command: PortgridCommand) throws(SpecError) -> DiscoveryProbeSet {
        let discovery = command.discovery
        guard !given(command).isEmpty else { return .standard }
        var set = DiscoveryProbeSet(echo: discovery.echoPing, timestamp: discovery.timestampPing)
        if let text = discovery.synPing { set.synPorts = try DiscoveryProbeSet.parsePorts(text, flag: "-PS") }
        if let text = discovery.ackPing { set.ackPorts = try DiscoveryProbeSet.parsePorts(text, flag: "-PA") }
        if let text = discovery.udpPing {
            set.udpPorts = try DiscoveryProbeSet.parsePorts(text, flag: "-PU", defaultPort: DiscoveryProbeSet.defaultUDPPort)
        }
        return set
    }
}
