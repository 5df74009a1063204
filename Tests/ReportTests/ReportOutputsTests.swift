import Foundation
import Glibc
@testable import Report
import Synchronization
import Testing

/// Where a report lands: regular files replaced, everything else written in place, links followed,
/// two outputs on one file refused before the scan.
struct ReportOutputsTests {
    @Test("a symbolic link is written where it points and stays a link")
    func aSymlinkIsWrittenWhereItPoints() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/real", withIntermediateDirectories: false)
        try "old".write(toFile: dir.path + "/real/target.json", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.json", withDestinationPath: "real/target.json")
        try ReportFile.write("new", to: dir.path + "/link.json")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path + "/link.json") == "real/target.json")
        #expect(try String(contentsOfFile: dir.path + "/real/target.json", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/real") == ["target.json"])
    }

    @Test("--append-output writes at a file's end, keeping its inode and mode; a missing file is created; a discarded run adds nothing")
    func appendOutputAppends() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.nmap"
        try "first run\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, 0o600) == 0)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        var outputs = try ReportOutputs.open([ReportRequest(format: .normal, path: ReportPath(path), flag: "-oN")],
                                             table: false, append: true, stop: { false })
        // Opened before the scan, and never truncated by it.
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first run\n")
        #expect(outputs.write { _ in "second run\n" }.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first run\nsecond run\n")
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(after[.systemFileNumber] as? Int == before, "appended in place, never renamed over")
        #expect((after[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)

        let fresh = dir.path + "/new.xml"
        var made = try ReportOutputs.open([ReportRequest(format: .xml, path: ReportPath(fresh), flag: "-oX")],
                                          table: false, append: true, stop: { false })
        #expect(made.write { _ in "<x/>" }.isEmpty)
        #expect(try String(contentsOfFile: fresh, encoding: .utf8) == "<x/>")

        var discarded = try ReportOutputs.open([ReportRequest(format: .normal, path: ReportPath(path), flag: "-oN")],
                                               table: false, append: true, stop: { false })
        discarded.discard()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first run\nsecond run\n")
    }

    @Test("without --append-output a run replaces the file")
    func withoutAppendReplaces() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.nmap"
        try "first run\n".write(toFile: path, atomically: false, encoding: .utf8)
        var outputs = try ReportOutputs.open([ReportRequest(format: .normal, path: ReportPath(path), flag: "-oN")],
                                             table: false, stop: { false })
        #expect(outputs.write { _ in "second run\n" }.isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second run\n")
    }

    @Test("a dangling symbolic link creates the file it names")
    func aDanglingSymlinkCreatesItsTarget() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.xml", withDestinationPath: dir.path + "/made.xml")
        try ReportFile.write("<x/>", to: dir.path + "/link.xml")
        #expect(try String(contentsOfFile: dir.path + "/made.xml", encoding: .utf8) == "<x/>")
    }

    @Test("a FIFO is written in place: its reader gets the report and the FIFO stays")
    func aFIFOIsWrittenInPlace() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        // A thread of its own, not a task: the write below blocks its thread while it waits for the
        // reader, and a task could be queued behind it on the cooperative pool.
        let received = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            let fd = open(path, O_RDONLY)
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while fd >= 0 {
                let count = read(fd, &buffer, buffer.count)
                if count <= 0 { break }
                data += buffer[..<count]
            }
            if fd >= 0 { close(fd) }
            received.withLock { $0 = String(decoding: data, as: UTF8.self) }
            done.signal()
        }
        reader.start()
        try ReportFile.write("through the fifo\n", to: path)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(received.withLock { $0 } == "through the fifo\n")
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test("a FIFO nobody reads fails when told to stop, instead of hanging")
    func aFIFOWithNoReaderStops() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/lonely"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: ReportFileError.open(path: path, reason: "no process is reading the FIFO")) {
            _ = try ReportOutputs.open([ReportRequest(format: .json, path: ReportPath(path), flag: "-oJ")], table: false, stop: { true })
        }
    }

    @Test("/dev/null stays a device and takes any number of reports")
    func devNullStaysADevice() throws {
        var outputs = try ReportOutputs.open([
            ReportRequest(format: .normal, path: ReportPath("/dev/null"), flag: "-oN"),
            ReportRequest(format: .xml, path: ReportPath("/dev/null"), flag: "-oX"),
        ], table: false, stop: { false })
        #expect(outputs.write { _ in "report" }.isEmpty)
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }

    @Test("/dev/fd/N writes to that descriptor, where a process substitution's pipe is")
    func aDescriptorPathWritesToTheDescriptor() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        var outputs = try ReportOutputs.open([ReportRequest(format: .grepable, path: ReportPath("/dev/fd/\(ends[1])"), flag: "-oG")],
                                             table: false, stop: { false })
        close(ends[1])
        #expect(outputs.write { _ in "Host: 127.0.0.1\n" }.isEmpty)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(ends[0], &buffer, buffer.count)
        #expect(String(decoding: buffer[..<max(0, count)], as: UTF8.self) == "Host: 127.0.0.1\n")
    }

    @Test("a Unix socket is written through a connection")
    func aSocketIsWrittenThroughAConnection() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/s"
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in path.utf8.enumerated() { raw[i] = b } }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0 && listen(listener, 1) == 0)
        var outputs = try ReportOutputs.open([ReportRequest(format: .json, path: ReportPath(path), flag: "-oJ")], table: false, stop: { false })
        #expect(outputs.write { _ in "{}\n" }.isEmpty)
        let connection = accept(listener, nil, nil)
        defer { close(connection) }
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = read(connection, &buffer, buffer.count)
        #expect(String(decoding: buffer[..<max(0, count)], as: UTF8.self) == "{}\n")
    }

    @Test("a file name is taken as bytes: 0xff survives")
    func fileNamesAreBytes() throws {
        let dir = try TemporaryDirectory()
        let name: [UInt8] = Array("\(dir.path)/scan-".utf8) + [0xff] + Array(".json".utf8)
        var outputs = try ReportOutputs.open([ReportRequest(format: .json, path: ReportPath(bytes: name), flag: "-oJ")],
                                             table: false, stop: { false })
        #expect(outputs.write { _ in "{}" }.isEmpty)
        let fd = (name.map { CChar(bitPattern: $0) } + [0]).withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY) }
        #expect(fd >= 0, "the file exists under the exact bytes")
        close(fd)
    }

    @Test("two outputs naming one file by different spellings are refused before anything is written",
          arguments: [("f.json", "f.json"), ("f.json", "./f.json"), ("f.json", "sub/../f.json"), ("f.json", "link.json")])
    func oneFileTwiceIsRefused(first: String, second: String) throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/sub", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link.json", withDestinationPath: "f.json")
        do {
            _ = try ReportOutputs.open([
                ReportRequest(format: .json, path: ReportPath(dir.path + "/" + first), flag: "-oJ"),
                ReportRequest(format: .xml, path: ReportPath(dir.path + "/" + second), flag: "-oX"),
            ], table: false, stop: { false })
            Issue.record("two outputs on one file were accepted")
        } catch {
            guard case .sameFile(let a, let b) = error else { Issue.record("wrong error \(error)"); return }
            #expect(a.hasPrefix("-oJ ") && b.hasPrefix("-oX "))
            #expect(error.isUsageError)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/f.json"))
    }

    @Test("two documents on standard output are refused; /dev/stdout is standard output")
    func twoDocumentsOnStandardOutputAreRefused() {
        #expect(throws: ReportFileError.twiceOnStandardOutput("-oN -", "-oJ /dev/stdout")) {
            _ = try ReportOutputs.open([ReportRequest(format: .normal, path: ReportPath("-"), flag: "-oN"),
                                        ReportRequest(format: .json, path: ReportPath("/dev/stdout"), flag: "-oJ")],
                                       table: true, stop: { false })
        }
    }

    @Test("an empty path is a usage error")
    func anEmptyPathIsRefused() {
        #expect(throws: ReportFileError.emptyPath) {
            _ = try ReportOutputs.open([ReportRequest(format: .json, path: ReportPath(""), flag: "-oJ")], table: false, stop: { false })
        }
        #expect(ReportFileError.emptyPath.isUsageError)
    }

    @Test("the table goes to standard output unless an output already writes there")
    func theTableYieldsStandardOutput() throws {
        let table = try ReportOutputs.open([], table: true, stop: { false })
        #expect(table.formats == [.normal])
        let claimed = try ReportOutputs.open([ReportRequest(format: .xml, path: ReportPath("-"), flag: "-oX")], table: true, stop: { false })
        #expect(claimed.formats == [.xml])
    }

    @Test("a broken standard output is reported and does not stop the files, which are written first")
    func aBrokenStandardOutputDoesNotStopTheFiles() throws {
        let dir = try TemporaryDirectory()
        let fs = FaultyFileSystem(failure: Errno(code: EPIPE), failingDescriptor: STDOUT_FILENO)
        var outputs = try ReportOutputs.open([ReportRequest(format: .json, path: ReportPath(dir.path + "/r.json"), flag: "-oJ"),
                                              ReportRequest(format: .csv, path: ReportPath(dir.path + "/r.csv"), flag: "-oC")],
                                             table: true, stop: { false }, fs)
        #expect(outputs.formats == [.json, .csv, .normal])
        let failures = outputs.write({ "\($0)" }, fs)
        #expect(failures == [.standardOutput(reason: "Broken pipe")])
        #expect(try String(contentsOfFile: dir.path + "/r.json", encoding: .utf8) == "json")
        #expect(try String(contentsOfFile: dir.path + "/r.csv", encoding: .utf8) == "csv")
    }

    @Test("checking a path before the scan leaves nothing behind")
    func openingLeavesNothing() throws {
        let dir = try TemporaryDirectory()
        var outputs = try ReportOutputs.open([ReportRequest(format: .json, path: ReportPath(dir.path + "/later.json"), flag: "-oJ")],
                                             table: false, stop: { false })
        #expect(dir.entries.isEmpty)
        outputs.discard()
        #expect(dir.entries.isEmpty)
    }
}
