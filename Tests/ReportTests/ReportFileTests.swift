import Foundation
@testable import Report
import Testing

/// The atomic write: the target is either the old file or the whole new one, and no temporary
/// file outlives a failure.
struct ReportFileTests {
    @Test func writesANewFileAndLeavesNothingElse() throws {
        let dir = try TemporaryDirectory()
        try ReportFile.write("hello\n", to: dir.path + "/scan.json")
        #expect(try String(contentsOfFile: dir.path + "/scan.json", encoding: .utf8) == "hello\n")
        #expect(dir.entries == ["scan.json"])
    }

    @Test func replacesAnExistingFileWhole() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.xml"
        try String(repeating: "old ", count: 1000).write(toFile: path, atomically: false, encoding: .utf8)
        try ReportFile.write("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(dir.entries == ["scan.xml"])
    }

    @Test func aMissingDirectoryIsACreateError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/no/such/dir/scan.csv"
        #expect(throws: ReportFileError.create(path: path, reason: "No such file or directory")) {
            try ReportFile.write("x", to: path)
        }
        #expect(dir.entries.isEmpty)
    }

    @Test func aTargetThatIsADirectoryIsKeptAndTheTempRemoved() throws {
        let dir = try TemporaryDirectory()
        let target = dir.path + "/report.md"
        try FileManager.default.createDirectory(atPath: target + "/inner", withIntermediateDirectories: true)
        do {
            try ReportFile.write("x", to: target)
            Issue.record("writing over a directory succeeded")
        } catch {
            guard case .replace(let path, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(path == target)
        }
        #expect(dir.entries == ["report.md"])
        #expect(FileManager.default.fileExists(atPath: target + "/inner"))
    }

    @Test func aFailedWriteMidwayLeavesTheOldFileAndNoTemp() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.json"
        try "previous complete report".write(toFile: path, atomically: false, encoding: .utf8)
        let fs = FaultyFileSystem(failWriteAfter: 10, failure: Errno(code: ENOSPC))
        #expect(throws: ReportFileError.write(path: path, reason: "No space left on device")) {
            try ReportFile.write(String(repeating: "y", count: 100), to: path, using: fs)
        }
        #expect(fs.bytesWritten == 10, "the failure came mid-file")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous complete report")
        #expect(dir.entries == ["scan.json"])
    }

    @Test func aFailedSyncIsReportedAndCleanedUp() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.gnmap"
        let fs = FaultyFileSystem(failSync: Errno(code: EIO))
        #expect(throws: ReportFileError.sync(path: path, reason: "Input/output error")) {
            try ReportFile.write("data", to: path, using: fs)
        }
        #expect(dir.entries.isEmpty)
    }

    @Test func shortWritesAreContinued() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.csv"
        let text = (1...200).map { "row \($0)" }.joined(separator: "\n")
        try ReportFile.write(text, to: path, using: FaultyFileSystem(maxChunk: 7))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func aBareFileNameGoesToTheCurrentDirectory() {
        #expect(ReportFile.split("scan.xml") == (".", "scan.xml"))
        #expect(ReportFile.split("/scan.xml") == ("/", "scan.xml"))
        #expect(ReportFile.split("a/b/scan.xml") == ("a/b", "scan.xml"))
    }

    @Test func errorsNameTheFileAndTheReason() {
        #expect("\(ReportFileError.replace(path: "/x/y.xml", reason: "Is a directory"))" == "cannot replace /x/y.xml: Is a directory")
    }
}

/// The real file system with faults injected where a disk would fail.
final class FaultyFileSystem: FileSystem, @unchecked Sendable {
    private let real = SystemFileSystem()
    private let failWriteAfter: Int?
    private let failure: Errno
    private let failSync: Errno?
    private let maxChunk: Int
    private(set) var bytesWritten = 0

    init(failWriteAfter: Int? = nil, failure: Errno = Errno(code: EIO), failSync: Errno? = nil, maxChunk: Int = .max) {
        self.failWriteAfter = failWriteAfter
        self.failure = failure
        self.failSync = failSync
        self.maxChunk = maxChunk
    }

    func createExclusive(_ path: String) -> Result<Int32, Errno> { real.createExclusive(path) }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        var limit = min(bytes.count, maxChunk)
        if let failWriteAfter {
            if bytesWritten >= failWriteAfter { return .failure(failure) }
            limit = min(limit, failWriteAfter - bytesWritten)
        }
        let result = real.write(fd, UnsafeRawBufferPointer(rebasing: bytes[..<limit]))
        if case .success(let n) = result { bytesWritten += n }
        return result
    }

    func sync(_ fd: Int32) -> Result<Void, Errno> { failSync.map { .failure($0) } ?? real.sync(fd) }
    func close(_ fd: Int32) -> Result<Void, Errno> { real.close(fd) }
    func rename(_ from: String, _ to: String) -> Result<Void, Errno> { real.rename(from, to) }
    func remove(_ path: String) { real.remove(path) }
    func syncDirectory(_ path: String) { real.syncDirectory(path) }
    func flushStandardOutput() { real.flushStandardOutput() }
}
