import ArgumentParser

/// FIREWALL/IDS EVASION AND SPOOFING: nmap's spellings and meanings, turned into `PacketOptions`
/// by `EvasionFlags.swift`.
struct EvasionOptions: ParsableArguments {
    @Option(name: .customShort("S"), parsing: .unconditional,
            help: ArgumentHelp("Source address of the probes (raw probes carry it; connects bind it); "
                               + "replies come back only to an address of this host.", valueName: "ADDR"))
    var sourceAddress: String?
    @Option(name: .customShort("e"), parsing: .unconditional,
            help: ArgumentHelp("Send and receive on this interface only; the source address is its own unless -S.",
                               valueName: "IFACE"))
    var interface: String?
    @Option(name: [.customShort("g"), .customLong("source-port")], parsing: .unconditional,
            help: ArgumentHelp("Send every probe from this port (1-65535).", valueName: "PORT"))
    var sourcePort: String?
    @Option(name: .customLong("ttl"), parsing: .unconditional,
            help: ArgumentHelp("IPv4 TTL / IPv6 hop limit of every probe (0-255).", valueName: "N"))
    var ttl: String?
    @Flag(name: .customLong("badsum"),
          help: "Send raw probes with a wrong TCP/UDP/ICMP checksum (not with -sT).")
    var badChecksum = false
    @Flag(name: .customLong("send-eth"),
          help: ArgumentHelp("Send raw IPv4 probes as Ethernet frames to the next hop (the default where the "
                             + "route and neighbour allow; refused for loopback and non-Ethernet -e)."))
    var sendEthernet = false
    @Flag(name: .customLong("send-ip"), help: "Send raw probes as IP packets the kernel routes, never as frames.")
    var sendIP = false
}
