import ArgumentParser

/// FIREWALL/IDS EVASION AND SPOOFING: nmap's spellings, each refused in one line until the raw
/// engine can honour it (`UnsupportedFlags`); never accepted and ignored.
struct EvasionOptions: ParsableArguments {
    @Option(name: .customShort("S"), parsing: .unconditional,
            help: ArgumentHelp("Spoof the source address (refused: not supported yet).", valueName: "ADDR"))
    var sourceAddress: String?
    @Option(name: .customShort("e"), parsing: .unconditional,
            help: ArgumentHelp("Send through this interface (refused: not supported yet).", valueName: "IFACE"))
    var interface: String?
    @Option(name: [.customShort("g"), .customLong("source-port")], parsing: .unconditional,
            help: ArgumentHelp("Use this source port (refused: the source port carries each probe's cookie).",
                               valueName: "PORT"))
    var sourcePort: String?
    @Option(name: .customLong("ttl"), parsing: .unconditional,
            help: ArgumentHelp("IP time-to-live of the probes (refused: not supported yet).", valueName: "N"))
    var ttl: String?
    @Flag(name: .customLong("badsum"), help: "Send probes with a bad checksum (refused: not supported yet).")
    var badChecksum = false
}
