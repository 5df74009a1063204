/// nmap's FIREWALL/IDS EVASION AND SPOOFING settings that shape every probe: `--ttl`, `--badsum`,
/// `-g`/`--source-port`, `-S` and `-e`. Values only; the engine applies them (the raw probe
/// writers and receive sockets, and the connect scan's socket options).
public struct PacketOptions: Hashable, Sendable {
    /// `--ttl`: the IPv4 TTL / IPv6 hop limit of every probe (nil: the engine's default).
    public var ttl: UInt8?
    /// `--badsum`: raw probes carry a wrong TCP, UDP or ICMP checksum.
    public var badChecksum = false
    /// `-g`: every probe leaves from this port (replies are then told apart by sequence numbers,
    /// IP IDs and flow labels instead of by source port).
    public var sourcePort: UInt16?
    /// `-S`: the source address written into raw probes and bound by connect probes.
    public var sourceAddress: IPAddress?
    /// `-e`: the interface probes leave by and replies are read from.
    public var interface: String?
    /// `--send-eth` / `--send-ip`: how raw probes leave. It changes no byte of a probe, only the
    /// path out of this host, so it is no evasion setting (`isStandard` ignores it).
    public var linkLayer: LinkLayerChoice = .automatic

    public init(ttl: UInt8? = nil, badChecksum: Bool = false, sourcePort: UInt16? = nil,
                sourceAddress: IPAddress? = nil, interface: String? = nil) {
        self.ttl = ttl
        self.badChecksum = badChecksum
        self.sourcePort = sourcePort
        self.sourceAddress = sourceAddress
        self.interface = interface
    }

    public static let standard = PacketOptions()

    /// The first of `hosts` whose family is not `-S`'s address's (a probe to it could not carry
    /// that source), nil when all match or without `-S`.
    public func hostOfOtherFamily(_ hosts: some Sequence<IPAddress>) -> IPAddress? {
        guard let source = sourceAddress else { return nil }
        return hosts.first { host in
            switch (host, source) {
            case (.v4, .v4), (.v6, .v6): false
            default: true
            }
        }
    }

    /// No flag of the group given: probes as the engine shapes them by default.
    public var isStandard: Bool {
        var shaping = self
        shaping.linkLayer = .automatic
        return shaping == .standard
    }
}

/// How raw IPv4 probes leave: nmap's `--send-eth` and `--send-ip`.
public enum LinkLayerChoice: String, Hashable, Sendable {
    /// As Ethernet frames to the next hop's MAC where the route leaves by an Ethernet interface and
    /// the kernel knows that neighbour; as IP packets (the kernel routes them) everywhere else.
    case automatic
    /// `--send-eth`: as automatic, and refused up front where no frame could be sent (loopback,
    /// a non-Ethernet `-e`).
    case ethernet
    /// `--send-ip`: always as IP packets on a raw socket.
    case ip
}
