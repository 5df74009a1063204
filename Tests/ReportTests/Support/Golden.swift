import Foundation
import Testing

/// Golden-file comparison in the manner of swift-argument-parser's `assertSnapshot`: a missing
/// golden is recorded and the test fails (so a new golden is always looked at), and
/// PORTGRID_RECORD=1 re-records every golden, failing too, until the run is repeated without it.
enum Golden {
    /// Tests/ReportTests/Golden in the source tree, where recordings go.
    static let sourceDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["PORTGRID_RECORD"] == "1" }

    static func assertMatches(_ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let sourceFile = sourceDirectory.appendingPathComponent(name)
        if recording {
            record(actual, to: sourceFile, sourceLocation)
            Issue.record("recorded \(name) (PORTGRID_RECORD=1); run again without it", sourceLocation: sourceLocation)
            return
        }
        guard let expected = load(name) else {
            record(actual, to: sourceFile, sourceLocation)
            Issue.record("no golden \(name): recorded it at \(sourceFile.path); check it and run again",
                         sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            Issue.record("\(name) differs from its golden:\n\(diff(expected, actual))", sourceLocation: sourceLocation)
        }
    }

    /// The bundled copy (what Package.swift ships), else the source tree's (a fresh recording
    /// that the bundle has not picked up yet).
    private static func load(_ name: String) -> String? {
        let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
        if let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Golden"),
           let text = try? String(contentsOf: url, encoding: .utf8) {
            return text
        }
        return try? String(contentsOf: sourceDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    private static func record(_ text: String, to url: URL, _ sourceLocation: SourceLocation) {
        do {
            try text.write(to: url, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("could not record \(url.path): \(error)", sourceLocation: sourceLocation)
        }
    }

    /// The first differing lines, enough to see what changed without a diff tool.
    static func diff(_ expected: String, _ actual: String) -> String {
        let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(a.count, b.count) where out.count < 12 {
            let left = i < a.count ? String(a[i]) : "<none>", right = i < b.count ? String(b[i]) : "<none>"
            if left != right { out.append("line \(i + 1):\n  - \(left)\n  + \(right)") }
        }
        return out.joined(separator: "\n")
    }
}
