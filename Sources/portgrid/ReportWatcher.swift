import FoundationEssentials
import Glibc
import Report
import TUI

/// The read-only TUI's source (`portgrid view`): the named reports read and merged into one
/// `StoredReading`, once, or again each time a file appears or changes (--watch). Shard files are
/// written atomically (renamed over), so a reading never sees half a report.
enum ReportWatcher {
    /// One reading of the files as they are now.
    static func read(_ files: [String]) -> StoredReading {
        let present = files.filter { $0 == "-" || FileManager.default.fileExists(atPath: $0) }
        var problems: [String] = []
        let reports = present.compactMap { path -> StoredReport? in
            do { return try StoredReports.read(path) } catch {
                problems.append("view: \(error)")
                return nil
            }
        }
        // Lenient, as the printed view: reports of different scans are shown together.
        let merged = reports.isEmpty ? nil : try? ReportMerge.merge(reports, force: true)
        return StoredReading(merged: merged, named: files.count, present: present.count, problems: problems)
    }

    /// Readings as the files change: the first at once, then one per change seen every `interval`
    /// seconds (nil: the first only). Stops when the consumer stops listening.
    static func readings(_ files: [String], every interval: Double?) -> AsyncStream<StoredReading> {
        AsyncStream { continuation in
            let task = Task {
                var seen: [String: FileStamp] = [:]
                var first = true
                while !Task.isCancelled {
                    let stamps = Dictionary(uniqueKeysWithValues: files.map { ($0, FileStamp($0)) })
                    if first || stamps != seen {
                        seen = stamps
                        first = false
                        continuation.yield(read(files))
                    }
                    guard let interval else { break }
                    try? await Task.sleep(for: .seconds(interval))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// What tells a changed file from an unchanged one without reading it.
struct FileStamp: Equatable {
    var modified: Date?
    var size: UInt64?
    var inode: UInt64?

    init(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return }
        modified = Date(timeIntervalSince1970: Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9)
        size = UInt64(status.st_size)
        // An atomic replace within the same second and size is still a new inode.
        inode = UInt64(status.st_ino)
    }
}
