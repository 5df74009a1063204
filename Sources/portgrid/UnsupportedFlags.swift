/// nmap flags portgrid parses but cannot honour yet: each is refused in one line (exit 64) saying
/// why, never accepted and ignored. One home, so the help text's "(refused: ...)" and this list
/// are checked against each other (`UnsupportedFlagTests`).
enum UnsupportedFlags {
    /// (flag, given?, why) in help order.
    static func all(_ command: PortgridCommand) -> [(flag: String, given: Bool, why: String)] {
        [
            ("-PU", command.discovery.udpPing != nil, "UDP discovery probes are not supported yet; use -PS, -PA or -PE"),
            ("-PP", command.discovery.timestampPing, "ICMP timestamp discovery is not supported yet; use -PE, -PS or -PA"),
            ("--max-hostgroup", command.timing.maxHostgroup != nil,
             "portgrid scans every target in one group; split the targets (or use --shard) to scan fewer at once"),
            ("--packet-trace", command.output.packetTrace, "packet tracing is not supported yet; -v and -d show notices"),
            ("--append-output", command.output.appendOutput,
             "appending to output files is not supported yet; outputs replace their files"),
        ]
    }

    /// The first refused flag given, as the one line to print.
    static func refusal(_ command: PortgridCommand) -> String? {
        all(command).first(where: \.given).map { "\($0.flag): \($0.why)" }
    }
}
