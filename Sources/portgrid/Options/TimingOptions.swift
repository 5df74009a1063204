import ArgumentParser
import PortgridCore

/// TIMING AND PERFORMANCE: the template and the user's overrides of it. Values are checked in
/// `TimingOptions+Profile.swift`, through `FlagNumber`.
struct TimingOptions: ParsableArguments {
    @Option(name: .customShort("T", allowingJoined: true), parsing: .unconditional,
            help: ArgumentHelp("Timing template 0-5 (paranoid, sneaky, polite, normal, aggressive, insane). Default 3.",
                               valueName: "0-5"),
            completion: .list(["0", "1", "2", "3", "4", "5"] + TimingProfile.names))
    var timing: String?
    @Option(name: .customLong("min-hostgroup"), parsing: .unconditional,
            help: ArgumentHelp("Scan at least N hosts at once (always met: groups are as large as --max-hostgroup allows).", valueName: "N"))
    var minHostgroup: String?
    @Option(name: .customLong("max-hostgroup"), parsing: .unconditional,
            help: ArgumentHelp("Scan the targets in groups of at most N hosts, one group after another.", valueName: "N"))
    var maxHostgroup: String?
    @Option(name: .customLong("min-parallelism"), parsing: .unconditional,
            help: ArgumentHelp("Keep at least N connects in flight (-sT), however the network answers.", valueName: "N"))
    var minParallelism: String?
    @Option(name: .customLong("max-parallelism"), parsing: .unconditional,
            help: ArgumentHelp("Keep at most N connects in flight (-sT).", valueName: "N"))
    var maxParallelism: String?
    @Option(name: .customLong("initial-rtt-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Probe timeout before a round trip is measured (500ms, 1s).", valueName: "TIME"))
    var initialRTTTimeout: String?
    @Option(name: .customLong("min-rtt-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Never wait less than this for an answer.", valueName: "TIME"))
    var minRTTTimeout: String?
    @Option(name: .customLong("max-rtt-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Never wait more than this for an answer.", valueName: "TIME"))
    var maxRTTTimeout: String?
    @Option(name: .customLong("max-retries"), parsing: .unconditional,
            help: ArgumentHelp("Retransmissions per probe at most (0-50).", valueName: "N"))
    var maxRetries: String?
    @Option(name: .customLong("host-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Give up on a host after this long (30s, 5m; 0 = never).", valueName: "TIME"))
    var hostTimeout: String?
    @Option(name: .customLong("scan-delay"), parsing: .unconditional,
            help: ArgumentHelp("Wait this long between probes to a host (200ms, 1s).", valueName: "TIME"))
    var scanDelay: String?
    @Option(name: .customLong("max-scan-delay"), parsing: .unconditional,
            help: ArgumentHelp("Never wait longer than this between probes (caps the template's delay).", valueName: "TIME"))
    var maxScanDelay: String?
    @Option(name: .customLong("min-rate"), parsing: .unconditional,
            help: ArgumentHelp("Send at least N probes per second, however the network answers (0.001-100000000).",
                               valueName: "N"))
    var minRate: String?
    @Option(name: [.customLong("max-rate"), .customLong("rate")], parsing: .unconditional,
            help: ArgumentHelp("Send at most N probes per second (0.001-100000000); --rate is masscan's spelling.",
                               valueName: "N"))
    var maxRate: String?
}
