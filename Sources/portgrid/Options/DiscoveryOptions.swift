import ArgumentParser

/// HOST DISCOVERY: whether and how hosts are found up before their ports are scanned, and names.
struct DiscoveryOptions: ParsableArguments {
    @Flag(name: .customLong("sn", withSingleDash: true), help: "Ping sweep only: find live hosts, no port scan.")
    var pingOnly = false
    @Flag(name: .customLong("Pn", withSingleDash: true), help: "Treat all hosts as up: skip the ping sweep.")
    var skipDiscovery = false
    @Option(name: .customLong("PS", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("TCP SYN discovery to these ports (-PS 22,443; -PS22 works too).", valueName: "PORTS"))
    var synPing: String?
    @Option(name: .customLong("PA", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("TCP ACK discovery to these ports.", valueName: "PORTS"))
    var ackPing: String?
    @Option(name: .customLong("PU", withSingleDash: true), parsing: .unconditional,
            help: ArgumentHelp("UDP discovery to these ports (default 40125): any answer, even port unreachable, proves a host up.", valueName: "PORTS"))
    var udpPing: String?
    @Flag(name: .customLong("PE", withSingleDash: true), help: "ICMP echo discovery.")
    var echoPing = false
    @Flag(name: .customLong("PP", withSingleDash: true), help: "ICMP timestamp discovery (IPv4 only).")
    var timestampPing = false
    @Flag(name: .customShort("n"), help: "Never do reverse DNS.")
    var noDNS = false
    @Flag(name: .customShort("R"), help: "Always do reverse DNS.")
    var alwaysDNS = false
}
