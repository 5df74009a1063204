import Foundation

/// A fresh directory for one test's files, removed afterwards.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/portgrid-it-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: path + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }
}
