import Foundation
import Glibc
@testable import Report
import Testing

/// The atomic write of a regular file: the target is either the old file or the whole new one, keeps
/// its mode, and no temporary file outlives a failure.
struct ReportFileTests {
    @Test("a new report is written whole and nothing else is left beside it")
    func writesANewFileAndLeavesNothingElse() throws {
        let dir = try TemporaryDirectory()
        try ReportFile.write("hello\n", to: dir.path + "/scan.json")
        #expect(try String(contentsOfFile: dir.path + "/scan.json", encoding: .utf8) == "hello\n")
        #expect(dir.entries == ["scan.json"])
    }

    @Test("an existing report is replaced whole")
    func replacesAnExistingFileWhole() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.xml"
        try String(repeating: "old ", count: 1000).write(toFile: path, atomically: false, encoding: .utf8)
        try ReportFile.write("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(dir.entries == ["scan.xml"])
    }

    @Test("a private report stays private when it is replaced")
    func anExistingFileKeepsItsMode() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/private.json"
        #expect(FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o600]))
        try ReportFile.write("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        #expect(mode(path) == 0o600)
    }

    @Test("a new report gets 0644 less the umask")
    func aNewFileGets0644LessTheUmask() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/new.json"
        try ReportFile.write("x", to: path)
        #expect(mode(path) == 0o644 & ~currentUmask())
    }

    @Test("a missing directory is an open error, found before anything is written")
    func aMissingDirectoryIsAnOpenError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/no/such/dir/scan.csv"
        #expect(throws: ReportFileError.open(path: path, reason: "No such file or directory")) {
            _ = try ReportOutputs.open([ReportRequest(format: .csv, path: ReportPath(path), flag: "-oC")], table: false, stop: { false })
        }
        #expect(dir.entries.isEmpty)
    }

    @Test("a directory is never written over")
    func aTargetThatIsADirectoryIsRefused() throws {
        let dir = try TemporaryDirectory()
        let target = dir.path + "/report.md"
        try FileManager.default.createDirectory(atPath: target + "/inner", withIntermediateDirectories: true)
        #expect(throws: ReportFileError.refused(path: target, why: "it is a directory")) {
            try ReportFile.write("x", to: target)
        }
        #expect(dir.entries == ["report.md"])
        #expect(FileManager.default.fileExists(atPath: target + "/inner"))
    }

    @Test("a write that fails midway leaves the old file and no temporary one")
    func aFailedWriteMidwayLeavesTheOldFileAndNoTemp() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.json"
        try "previous complete report".write(toFile: path, atomically: false, encoding: .utf8)
        let fs = FaultyFileSystem(failWriteAfter: 10, failure: Errno(code: ENOSPC))
        #expect(throws: ReportFileError.write(path: path, reason: "No space left on device")) {
            var output = try ReportOutput.open(ReportPath(path), label: path, readerWait: nil, fs)
            try output.write(String(repeating: "y", count: 100), fs)
        }
        #expect(fs.bytesWritten == 10, "the failure came mid-file")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "previous complete report")
        #expect(dir.entries == ["scan.json"])
    }

    @Test("a failed fsync is reported and the temporary file removed")
    func aFailedSyncIsReportedAndCleanedUp() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.gnmap"
        let fs = FaultyFileSystem(failSync: Errno(code: EIO))
        #expect(throws: ReportFileError.sync(path: path, reason: "Input/output error")) {
            var output = try ReportOutput.open(ReportPath(path), label: path, readerWait: nil, fs)
            try output.write("data", fs)
        }
        #expect(dir.entries.isEmpty)
    }

    @Test("short writes are continued to the end")
    func shortWritesAreContinued() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.csv"
        let text = (1...200).map { "row \($0)" }.joined(separator: "\n")
        let fs = FaultyFileSystem(maxChunk: 7)
        var output = try ReportOutput.open(ReportPath(path), label: path, readerWait: nil, fs)
        try output.write(text, fs)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test("a bare file name lives in the current directory")
    func aBareFileNameGoesToTheCurrentDirectory() {
        #expect(ReportPath("scan.xml").split == (ReportPath("."), ReportPath("scan.xml")))
        #expect(ReportPath("/scan.xml").split == (ReportPath("/"), ReportPath("scan.xml")))
        #expect(ReportPath("a/b/scan.xml").split == (ReportPath("a/b"), ReportPath("scan.xml")))
    }

    @Test("errors name the file and the reason")
    func errorsNameTheFileAndTheReason() {
        #expect("\(ReportFileError.replace(path: "/x/y.xml", reason: "Is a directory"))" == "cannot replace /x/y.xml: Is a directory")
        #expect("\(ReportPath(bytes: [0x61, 0xff, 0x62]))" == "a\\xffb")
    }

    private func mode(_ path: String) -> UInt32 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt32(info.st_mode & 0o7777) : 0
    }
}

/// The umask, read without changing it (umask(2) would race other tests creating files).
func currentUmask() -> UInt32 {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
    return line.flatMap { UInt32($0.dropFirst(6).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
}

/// The real file system with faults injected where a disk or a pipe would fail.
final class FaultyFileSystem: ForwardingFileSystem, @unchecked Sendable {
    let real = SystemFileSystem()
    private let failWriteAfter: Int?
    private let failure: Errno
    private let failSync: Errno?
    private let maxChunk: Int
    /// Writes to this descriptor fail at once with `failure` (a closed pipe on stdout).
    private let failingDescriptor: Int32?
    private(set) var bytesWritten = 0
    private(set) var writtenTo: [Int32: [UInt8]] = [:]

    init(failWriteAfter: Int? = nil, failure: Errno = Errno(code: EIO), failSync: Errno? = nil, maxChunk: Int = .max,
         failingDescriptor: Int32? = nil) {
        self.failWriteAfter = failWriteAfter
        self.failure = failure
        self.failSync = failSync
        self.maxChunk = maxChunk
        self.failingDescriptor = failingDescriptor
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        if fd == failingDescriptor { return .failure(failure) }
        // Standard output is recorded, never printed into the test log.
        if fd == STDOUT_FILENO {
            writtenTo[fd, default: []] += Array(bytes)
            return .success(bytes.count)
        }
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
}
