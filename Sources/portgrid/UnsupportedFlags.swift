/// nmap flags portgrid parses but cannot honour yet: each is refused in one line (exit 64) saying
/// why, never accepted and ignored. One home, so the help text's "(refused: ...)" and this list
/// are checked against each other (`UnsupportedFlagTests`).
enum UnsupportedFlags {
    /// (flag, given?, why) in help order.
    static func all(_ command: PortgridCommand) -> [(flag: String, given: Bool, why: String)] {
        [
            ("-S", command.evasion.sourceAddress != nil, "spoofing the source address is not supported yet"),
            ("-e", command.evasion.interface != nil,
             "choosing the interface is not supported yet; probes leave by the route to each target"),
            ("-g/--source-port", command.evasion.sourcePort != nil,
             "a fixed source port is not supported: each probe's source port carries its cookie"),
            ("--ttl", command.evasion.ttl != nil, "setting the probes' TTL is not supported yet"),
            ("--badsum", command.evasion.badChecksum, "bad checksums are not supported yet"),
        ]
    }

    /// The first refused flag given, as the one line to print.
    static func refusal(_ command: PortgridCommand) -> String? {
        all(command).first(where: \.given).map { "\($0.flag): \($0.why)" }
    }
}
