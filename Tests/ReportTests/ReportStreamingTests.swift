import Foundation
import Glibc
import PortgridCore
@testable import Report
import Synchronization
import Testing

/// Reports written host by host: chunks of a bounded size, byte for byte what a whole render
/// gives, and the file guarantees kept while the text is on its way.
struct ReportStreamingTests {
    /// 300 hosts up from a ping sweep, each named: several kilobytes in every format.
    static func sweep() -> ResultStore {
        var store = ResultStore()
        let hosts = (0..<300).map { IPAddress("198.18.\($0 / 256).\($0 % 256)")! }
        store.apply(.started(ScanPlan(technique: .ping, hosts: HostList(hosts), ports: PortSet(), timing: .normal)),
                    at: Fixture.start)
        for host in hosts {
            store.apply(.host(HostResult(address: host, status: .up, reason: .echoReply, rtt: .microseconds(150))),
                        at: Fixture.start)
        }
        return store
    }

    static func request(_ format: ReportFormat, _ path: String) -> ReportRequest {
        ReportRequest(format: format, path: ReportPath(path), flag: "-o")
    }

    @Test("a sink hands on chunks of exactly its limit, the rest at the end, and the text unchanged, multibyte characters split or not")
    func aSinkHandsOnBoundedChunks() {
        var chunks: [[UInt8]] = []
        let sink = ReportSink(limit: 7) { chunks.append(Array($0)) }
        let parts = ["portgrid ", "", "scan ré", "port for ", String(repeating: "x", count: 30), "ünïcode\n"]
        parts.forEach(sink.write)
        sink.flush()
        sink.flush()
        #expect(chunks.dropLast().allSatisfy { $0.count == 7 })
        #expect((1...7).contains(chunks.last?.count ?? 0))
        #expect(String(decoding: chunks.joined(), as: UTF8.self) == parts.joined())
    }

    @Test("a streamed report reaches its file in chunks no bigger than the limit, byte for byte the whole render, in every format")
    func aStreamedReportIsTheWholeRender() throws {
        let dir = try TemporaryDirectory()
        let report = ScanReport(Self.sweep(), interrupted: false)
        let context = Fixture.context()
        let formats = ReportFormat.allCases
        let fs = RecordingFileSystem()
        var outputs = try ReportOutputs.open(formats.map { Self.request($0, dir.path + "/scan.\($0.fileExtension)") },
                                             table: false, stop: { false }, fs)
        #expect(outputs.write(report, context: context, chunk: 512, fs).isEmpty)
        for format in formats {
            let written = try String(contentsOfFile: dir.path + "/scan.\(format.fileExtension)", encoding: .utf8)
            #expect(written == Report.render(format, report, context: context), "\(format)")
        }
        #expect(fs.writeSizes.count > formats.count, "more than one chunk a format")
        #expect(fs.writeSizes.allSatisfy { $0 <= 512 })
        #expect(dir.entries.count == formats.count, "no temporary file is left")
    }

    @Test("two outputs of one format are fed from one pass and each gets the whole report")
    func twoOutputsOfOneFormat() throws {
        let dir = try TemporaryDirectory()
        let report = ScanReport(Fixture.store(), interrupted: false)
        let context = Fixture.context()
        var outputs = try ReportOutputs.open([Self.request(.xml, dir.path + "/a.xml"), Self.request(.xml, dir.path + "/b.xml")],
                                             table: false, stop: { false })
        #expect(outputs.write(report, context: context).isEmpty)
        let whole = Report.render(.xml, report, context: context)
        #expect(try String(contentsOfFile: dir.path + "/a.xml", encoding: .utf8) == whole)
        #expect(try String(contentsOfFile: dir.path + "/b.xml", encoding: .utf8) == whole)
    }

    @Test("a write that fails mid-stream leaves the old file, removes its temporary file, and the other outputs are written whole")
    func aFailureMidStreamLeavesTheOldFile() throws {
        let dir = try TemporaryDirectory()
        let bad = dir.path + "/bad.json", good = dir.path + "/good.gnmap"
        try "previous complete report".write(toFile: bad, atomically: false, encoding: .utf8)
        let report = ScanReport(Self.sweep(), interrupted: false)
        let context = Fixture.context()
        let fs = RecordingFileSystem(failing: "bad.json", after: 1_000, with: Errno(code: ENOSPC))
        var outputs = try ReportOutputs.open([Self.request(.json, bad), Self.request(.grepable, good)],
                                             table: false, stop: { false }, fs)
        let failures = outputs.write(report, context: context, chunk: 256, fs)
        #expect(failures == [.write(path: bad, reason: "No space left on device")])
        #expect(fs.failedAt == 1_000, "the failure came mid-report, after several chunks")
        #expect(try String(contentsOfFile: bad, encoding: .utf8) == "previous complete report")
        #expect(try String(contentsOfFile: good, encoding: .utf8) == Report.render(.grepable, report, context: context))
        #expect(dir.entries == ["bad.json", "good.gnmap"])
    }

    @Test("--append-output gets the streamed report at the file's end, chunk after chunk")
    func appendedOutputsAreStreamed() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/scan.nmap"
        try "first run\n".write(toFile: path, atomically: false, encoding: .utf8)
        let report = ScanReport(Self.sweep(), interrupted: false)
        let context = Fixture.context()
        let fs = RecordingFileSystem()
        var outputs = try ReportOutputs.open([Self.request(.normal, path)], table: false, append: true, stop: { false }, fs)
        #expect(outputs.write(report, context: context, chunk: 300, fs).isEmpty)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first run\n" + Report.render(.normal, report, context: context))
        #expect(fs.writeSizes.count > 1 && fs.writeSizes.allSatisfy { $0 <= 300 })
    }

    @Test("a descriptor written in place gets the streamed report chunk by chunk, beside a replaced file")
    func inPlaceOutputsAreStreamed() throws {
        let dir = try TemporaryDirectory()
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let report = ScanReport(Fixture.store(), interrupted: false)
        let context = Fixture.context()
        let fs = RecordingFileSystem()
        let file = dir.path + "/scan.csv"
        var outputs = try ReportOutputs.open([Self.request(.grepable, "/dev/fd/\(ends[1])"), Self.request(.csv, file)],
                                             table: false, stop: { false }, fs)
        close(ends[1])
        #expect(outputs.write(report, context: context, chunk: 64, fs).isEmpty)
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let count = read(ends[0], &buffer, buffer.count), count > 0 { received += buffer[..<count] }
        close(ends[0])
        #expect(String(decoding: received, as: UTF8.self) == Report.render(.grepable, report, context: context))
        #expect(try String(contentsOfFile: file, encoding: .utf8) == Report.render(.csv, report, context: context))
        #expect(fs.writeSizes.count > 2 && fs.writeSizes.allSatisfy { $0 <= 64 })
    }

    @Test("a report's hosts are made when read: the same values each time, nmap's order down hosts first")
    func hostsAreMadeWhenRead() {
        let report = ScanReport(Fixture.store(), interrupted: false)
        #expect(report.hosts.map(\.address) == [Fixture.a, Fixture.b, Fixture.down, Fixture.c])
        #expect(report.nmapOrder.map(\.address) == [Fixture.down, Fixture.a, Fixture.b, Fixture.c])
        #expect(report.hosts.map(\.listed) == report.hosts.map(\.listed))
        #expect(report.upCount == 3 && report.downCount == 1 && report.addressCount == 4)
    }
}

/// The real file system, recording the size of every write to a file it created or opened, and
/// failing the writes to one file (its temporary file, by name) after a number of bytes.
final class RecordingFileSystem: ForwardingFileSystem, @unchecked Sendable {
    let real = SystemFileSystem()
    private let failing: String?
    private let limit: Int
    private let failure: Errno
    private var failingDescriptor: Int32?
    private var failingWritten = 0
    private(set) var failedAt: Int?
    private(set) var writeSizes: [Int] = []

    init(failing: String? = nil, after limit: Int = .max, with failure: Errno = Errno(code: EIO)) {
        self.failing = failing
        self.limit = limit
        self.failure = failure
    }

    func createExclusive(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno> {
        let result = real.createExclusive(path, mode: mode)
        if let failing, case .success(let fd) = result, path.description.contains(failing),
           !path.description.contains("-check-") {
            failingDescriptor = fd
        }
        return result
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        writeSizes.append(bytes.count)
        if fd == failingDescriptor {
            if failingWritten >= limit {
                failedAt = failingWritten
                return .failure(failure)
            }
            let result = real.write(fd, UnsafeRawBufferPointer(rebasing: bytes[..<min(bytes.count, limit - failingWritten)]))
            if case .success(let n) = result { failingWritten += n }
            return result
        }
        return real.write(fd, bytes)
    }

}
