import FoundationEssentials
import PortgridCore

/// What a report says about the run, beside the results themselves.
public struct ReportContext: Sendable {
    /// portgrid's version, e.g. "0.1.0".
    public var version: String
    /// The command line as typed (argv), program name first.
    public var arguments: [String]
    public var start: Date
    public var end: Date
    /// Ctrl-C, SIGTERM or quit mid-scan: every format says so.
    public var interrupted: Bool
    public var services: ServiceNames
    /// Zone of the human-readable times (nmap prints local time); tests pin it for golden files.
    public var timeZone: ReportZone
    /// Seconds spent scanning, when the run knows it better than `end - start` (a TUI session stays open
    /// after its scan ends); nil means the wall time from start to end.
    public var scanSeconds: Double? = nil
    /// Changes made in the TUI after the start command (technique, range, timing), one sentence each.
    public var changes: [String] = []
    /// The scan as asked for, so `merge` and `--resume` can read it back from the JSON report.
    public var request: ScanRequest? = nil

    /// The request a report records: none once the TUI changed technique or range, since the
    /// results are then of several scans and no one request reproduces them.
    var recordedRequest: ScanRequest? { changes.isEmpty ? request : nil }
    /// What `-sV` learned per open port; nil when version detection did not run (formats keep their columns).
    public var detected: [ServiceKey: ServiceIdentity]? = nil
    /// `-v` and `-d` levels: nmap's XML records them, and they decide what the text formats show
    /// (down hosts, the ports scanned, how many ports of one state are listed).
    public var verbosity = 0
    public var debugging = 0
    /// `--reason`: the REASON column and the host's reason, as nmap shows them (also from -vv or -d).
    public var showReasons = false
    /// The `<?xml-stylesheet?>` target of the XML report (nmap's nmap.xsl, where nmap installed it),
    /// so `xsltproc scan.xml` renders HTML; nil writes no stylesheet line.
    public var stylesheet: String? = nil
    /// Where the nmap data files the names came from live, for nmap's -v line "Read data files from".
    public var dataDirectory: String? = nil
    /// Vendors of MAC addresses, for hosts on the scanner's link (empty: every vendor unknown).
    public var macVendors = MACVendors()

    /// Whether reasons are shown: nmap turns them on with --reason, -vv or -d.
    var reasonsShown: Bool { showReasons || verbosity >= 2 || debugging >= 1 }

    /// nmap's rule for which states are counted rather than listed, at these levels.
    public var folding: PortFolding.Rule { PortFolding.Rule(verbosity: verbosity, debugging: debugging) }

    public init(version: String, arguments: [String], start: Date, end: Date, interrupted: Bool,
                services: ServiceNames) {
        self.init(version: version, arguments: arguments, start: start, end: end, interrupted: interrupted,
                  services: services, timeZone: .local)
    }

    public init(version: String, arguments: [String], start: Date, end: Date, interrupted: Bool,
                services: ServiceNames, timeZone: ReportZone) {
        self.version = version
        self.arguments = arguments
        self.start = start
        self.end = end
        self.interrupted = interrupted
        self.services = services
        self.timeZone = timeZone
    }

    /// The command line as one shell-quoted string, so it can be pasted back into a shell.
    public var commandLine: String { ShellWords.join(arguments) }

    /// The command line as nmap's own outputs record it (their `as:` lines and XML `args`), which
    /// Zenmap and nmap's readers expect.
    var nmapCommandLine: String { NmapArguments.join(arguments) }

    /// nmap's first line of -oN and -oG: `# portgrid 0.1.0 scan initiated Tue Nov  3 21:25:36 2026 as: …`.
    var initiatedComment: String {
        "# portgrid \(version) scan initiated \(TimeText.ctime(start, timeZone)) as: \(nmapCommandLine)"
    }

    /// Wall time of the run in seconds, never negative.
    public var elapsedSeconds: Double { max(0, end.timeIntervalSince(start)) }

    /// The "scanned in" time every format prints: the scanning time when known, else the wall time.
    public var scanningSeconds: Double { scanSeconds.map { max(0, $0) } ?? elapsedSeconds }

    /// The changes as the comment lines the text formats print under their first line.
    /// A change is one sentence; a line break in one would end the comment early.
    var changeComments: [String] {
        changes.map { "# changed in the TUI: " + $0.split(whereSeparator: \.isNewline).joined(separator: " ") }
    }
}
