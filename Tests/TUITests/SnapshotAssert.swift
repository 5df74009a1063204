import Foundation
import Testing

/// Golden-text snapshots in Tests/TUITests/Snapshots: a missing one is recorded and the test
/// fails (so a new snapshot is always looked at); PORTGRID_RECORD=1 re-records them all.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let file = directory.appendingPathComponent(name + ".txt")
    let recording = ProcessInfo.processInfo.environment["PORTGRID_RECORD"] == "1"
    let existing = try? String(contentsOf: file, encoding: .utf8)
    if recording || existing == nil {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? (text + "\n").write(to: file, atomically: true, encoding: .utf8)
        Issue.record("recorded snapshot \(name) at \(file.path): check it and run again", sourceLocation: sourceLocation)
        return
    }
    let expected = String(existing!.dropLast(existing!.hasSuffix("\n") ? 1 : 0))
    if expected != text {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for i in 0..<max(expectedLines.count, actualLines.count) {
            let e = i < expectedLines.count ? String(expectedLines[i]) : "<none>"
            let a = i < actualLines.count ? String(actualLines[i]) : "<none>"
            if e != a { diff.append("line \(i + 1)\n  expected: \(e)\n  actual:   \(a)") }
        }
        let report = "snapshot \(name) differs (PORTGRID_RECORD=1 re-records):\n" + diff.prefix(8).joined(separator: "\n")
        Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
    }
}
