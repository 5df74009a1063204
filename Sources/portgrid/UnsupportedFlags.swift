/// nmap flags portgrid parses but cannot honour yet: each is refused in one line (exit 64) saying
/// why, never accepted and ignored. One home, so the help text's "(refused: ...)" and this list
/// are checked against each other (`UnsupportedFlagTests`). Every flag issue 13 listed is
/// honoured now, so the list is empty; a flag parsed before it is honoured goes here.
enum UnsupportedFlags {
    /// (flag, given?, why) in help order.
    static func all(_ command: PortgridCommand) -> [(flag: String, given: Bool, why: String)] {
        []
    }

    /// The first refused flag given, as the one line to print.
    static func refusal(_ command: PortgridCommand) -> String? {
        all(command).first(where: \.given).map { "\($0.flag): \($0.why)" }
    }
}
