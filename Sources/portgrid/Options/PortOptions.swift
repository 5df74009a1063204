import ArgumentParser

/// PORT SPECIFICATION AND SCAN ORDER: which ports, and in what order.
struct PortOptions: ParsableArguments {
    @Option(name: .customShort("p", allowingJoined: true), parsing: .unconditional,
            help: ArgumentHelp("Ports: 22,80 | 1-1024 | - (all) | U:53,T:22 | http.", valueName: "PORTS"))
    var ports: String?
    @Option(name: .customLong("exclude-ports"), parsing: .unconditional,
            help: ArgumentHelp("Leave these ports out of the scan (same syntax as -p).", valueName: "PORTS"))
    var excludePorts: String?
    @Flag(name: .customShort("F"), help: "Fast: the 100 most common ports.")
    var fast = false
    @Flag(name: .customShort("r"), help: "Scan the ports in order, not in a random permutation.")
    var sequential = false
    @Option(name: .customLong("top-ports"), parsing: .unconditional,
            help: ArgumentHelp("Scan the N most common ports (1-65535); nmap's ranking when nmap-services is installed.",
                               valueName: "N"))
    var topPorts: String?
}
