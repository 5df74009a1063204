import FoundationEssentials
import Report

/// Reading reports named on the command line (`merge`, `view`, `--resume`); '-' is stdin.
enum StoredReports {
    static func read(_ path: String) throws(StoredReportError) -> StoredReport {
        let data: Data
        if path == "-" {
            guard let input = StandardInput.readAll() else { throw .unreadable(path, why: "standard input cannot be read") }
            data = input
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw .unreadable(path, why: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
            }
            data = contents
        }
        return try StoredReportReader.read(data, source: path)
    }

    /// The one-line notice for shards a merge lacks, nil when none do.
    static func missingNotice(_ merged: MergedScan) -> String? {
        guard !merged.missingShards.isEmpty else { return nil }
        let names = merged.missingShards.map { "\($0)/\(merged.shardCount)" }.joined(separator: ", ")
        return "shard\(merged.missingShards.count == 1 ? "" : "s") \(names) missing: \(merged.missingShards.count == 1 ? "its" : "their") ports are reported not scanned"
    }
}
