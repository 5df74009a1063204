import Foundation
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
    public var timeZone: TimeZone
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
    /// `--reason`: nmap shows the REASON column (normal output) and reasons (grepable) only when
    /// asked. portgrid's writers show reasons whatever it says, so today it changes nothing; it is
    /// here for the normal and grepable writers to follow nmap line for line (issue 13's outputs).
    public var showReasons = false
    /// What `-sV` learned per open port; nil when version detection did not run (formats keep their columns).
    public var detected: [ServiceKey: ServiceIdentity]? = nil

    public init(version: String, arguments: [String], start: Date, end: Date, interrupted: Bool,
                services: ServiceNames) {
        self.init(version: version, arguments: arguments, start: start, end: end, interrupted: interrupted,
                  services: services, timeZone: .current)
    }

    public init(version: String, arguments: [String], start: Date, end: Date, interrupted: Bool,
                services: ServiceNames, timeZone: TimeZone) {
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
