import PortgridCore
import Report

/// One reading of the reports `portgrid view` shows: the files merged as they stand now. The
/// command reads the files (and re-reads them with --watch); the session only folds readings.
public struct StoredReading: Sendable {
    /// The readable reports merged; nil while none is readable yet.
    public var merged: MergedScan?
    /// How many files were named, and how many of them exist now.
    public var named: Int
    public var present: Int
    /// One line per file that exists but could not be read.
    public var problems: [String]

    public init(merged: MergedScan?, named: Int, present: Int, problems: [String] = []) {
        self.merged = merged
        self.named = named
        self.present = present
        self.problems = problems
    }
}

/// What a read-only session shows about its files.
struct ViewingState: Hashable, Sendable {
    var watching: Bool
    var readings = 0
    var named = 0
    var present = 0
    var missingShards: [Int] = []
    var shardCount = 1
    var interrupted = false
    /// Open ports in the last reading, so the log says how many a new reading brought.
    var openPorts = 0
}
