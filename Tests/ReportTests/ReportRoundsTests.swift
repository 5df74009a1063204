import Foundation
import Glibc
import PortgridCore
@testable import Report
import Synchronization
import Testing

/// The files and standard output are written side by side, each round on a thread of its own:
/// every output is still byte for byte the sequential render, and neither round can stop the other.
struct ReportRoundsTests {
    /// A SYN scan of three ports over 3,000 hosts: a port table for each, mixed states and reasons,
    /// and every seventh host down, so nmap's order (down hosts first) is not address order.
    static func synSweep() -> ResultStore {
        var store = ResultStore()
        let hosts = (0..<3_000).map { IPAddress("198.18.\($0 / 256).\($0 % 256)")! }
        let start = Date(timeIntervalSince1970: 1_795_469_136)
        store.apply(.started(ScanPlan(technique: .syn, hosts: HostList(hosts), ports: PortSet([22...22, 80...80, 443...443]),
                                      timing: .normal)), at: start)
        for (index, host) in hosts.enumerated() {
            guard index % 7 != 0 else {
                store.apply(.host(HostResult(address: host, status: .down, reason: .noResponse)), at: start)
                continue
            }
            store.apply(.host(HostResult(address: host, status: .up, reason: .synAck, rtt: .microseconds(100 + index),
                                         replyTTL: 64)), at: start)
            let results = [(22, PortState.open, Reason.synAck), (80, index % 3 == 0 ? .closed : .open, index % 3 == 0 ? .reset : .synAck),
                           (443, .filtered, .noResponse)].map { port, state, reason in
                PortResult(host: host, proto: .tcp, port: UInt16(port), state: state, reason: reason, technique: .syn,
                           rtt: reason == .noResponse ? nil : .microseconds(90 + index % 50), replyTTL: 64)
            }
            store.apply(.results(PortResults(results)), at: start.addingTimeInterval(Double(index) / 1_000))
        }
        return store
    }

    static func request(_ format: ReportFormat, _ path: String) -> ReportRequest {
        ReportRequest(format: format, path: ReportPath(path), flag: "-o")
    }

    @Test("written side by side, every file and standard output is byte for byte the sequential render of 3,000 hosts, in every format")
    func sideBySideIsTheSequentialRender() throws {
        let dir = try TemporaryDirectory()
        let report = ScanReport(Self.synSweep(), interrupted: false)
        var context = Fixture.context()
        context.verbosity = 1
        let fs = RoundsFileSystem()
        let formats = ReportFormat.allCases
        var outputs = try ReportOutputs.open(formats.map { Self.request($0, dir.path + "/scan.\($0.fileExtension)") },
                                             table: true, stop: { false }, fs)
        #expect(outputs.formats == formats + [.normal])
        #expect(outputs.write(report, context: context, chunk: 4_096, fs).isEmpty)
        for format in formats {
            let written = try String(contentsOfFile: dir.path + "/scan.\(format.fileExtension)", encoding: .utf8)
            #expect(written == Report.render(format, report, context: context), "\(format)")
        }
        let table = Report.render(.normal, report, context: context)
        #expect(table.utf8.count > 100_000, "a report of many chunks")
        #expect(String(decoding: fs.standardOutput, as: UTF8.self) == table)
        #expect(dir.entries.count == formats.count, "no temporary file is left")
    }

    @Test("a file is finished while standard output is blocked: the rounds run at once, and the files do not wait for it")
    func aBlockedStandardOutputDoesNotHoldTheFiles() throws {
        let dir = try TemporaryDirectory()
        let report = ScanReport(Self.synSweep(), interrupted: false)
        let context = Fixture.context()
        // Standard output's first write waits until the JSON file has been renamed into place, and
        // the file's first write until standard output waits: only rounds that run at once get
        // through (each wait ends after 20 s, so a wrong order fails rather than hangs).
        let fs = RoundsFileSystem(holdStandardOutputUntilRenamed: "scan.json")
        var outputs = try ReportOutputs.open([Self.request(.json, dir.path + "/scan.json")], table: true, stop: { false }, fs)
        #expect(outputs.write(report, context: context, chunk: 4_096, fs).isEmpty)
        #expect(fs.events.first == "standard output blocked")
        #expect(fs.events.contains("renamed scan.json"))
        #expect(fs.events.firstIndex(of: "renamed scan.json")! < fs.events.firstIndex(of: "standard output released")!)
        #expect(try String(contentsOfFile: dir.path + "/scan.json", encoding: .utf8) == Report.render(.json, report, context: context))
        #expect(String(decoding: fs.standardOutput, as: UTF8.self) == Report.render(.normal, report, context: context))
    }

    @Test("a report of few hosts writes its files first, then standard output, one after the other")
    func aSmallReportWritesTheFilesFirst() throws {
        let dir = try TemporaryDirectory()
        var store = ResultStore()
        let host = IPAddress("198.18.0.2")!
        store.apply(.started(ScanPlan(technique: .syn, hosts: [host], ports: PortSet([1...2_000]), timing: .normal)))
        store.apply(.results(PortResults((1...2_000).map {
            PortResult(host: host, proto: .tcp, port: UInt16($0), state: .closed, reason: .reset, technique: .syn)
        })))
        let report = ScanReport(store, interrupted: false)
        let context = Fixture.context()
        let fs = RoundsFileSystem()
        var outputs = try ReportOutputs.open([Self.request(.json, dir.path + "/scan.json")], table: true, stop: { false }, fs)
        #expect(outputs.write(report, context: context, chunk: 4_096, fs).isEmpty)
        #expect(fs.events == ["renamed scan.json", "standard output written"], "\(fs.events)")
        #expect(String(decoding: fs.standardOutput, as: UTF8.self) == Report.render(.normal, report, context: context))
    }

    @Test("a file that fails mid-report leaves standard output's report whole, and its failure is reported")
    func aFailingFileDoesNotStopStandardOutput() throws {
        let dir = try TemporaryDirectory()
        let bad = dir.path + "/bad.xml"
        try "previous complete report".write(toFile: bad, atomically: false, encoding: .utf8)
        let report = ScanReport(Self.synSweep(), interrupted: false)
        let context = Fixture.context()
        let fs = RoundsFileSystem(failing: "bad.xml", after: 10_000)
        var outputs = try ReportOutputs.open([Self.request(.xml, bad), Self.request(.grepable, dir.path + "/good.gnmap")],
                                             table: true, stop: { false }, fs)
        let failures = outputs.write(report, context: context, chunk: 4_096, fs)
        #expect(failures == [.write(path: bad, reason: "No space left on device")])
        #expect(try String(contentsOfFile: bad, encoding: .utf8) == "previous complete report")
        #expect(try String(contentsOfFile: dir.path + "/good.gnmap", encoding: .utf8)
            == Report.render(.grepable, report, context: context))
        #expect(String(decoding: fs.standardOutput, as: UTF8.self) == Report.render(.normal, report, context: context))
    }

    @Test("a broken standard output while the files are written leaves every file whole")
    func aBrokenStandardOutputLeavesTheFilesWhole() throws {
        let dir = try TemporaryDirectory()
        let report = ScanReport(Self.synSweep(), interrupted: true)
        let context = Fixture.context(interrupted: true)
        let fs = RoundsFileSystem(brokenStandardOutput: true)
        var outputs = try ReportOutputs.open([Self.request(.json, dir.path + "/r.json"), Self.request(.normal, dir.path + "/r.nmap")],
                                             table: true, stop: { false }, fs)
        #expect(outputs.write(report, context: context, chunk: 4_096, fs) == [.standardOutput(reason: "Broken pipe")])
        #expect(try String(contentsOfFile: dir.path + "/r.json", encoding: .utf8) == Report.render(.json, report, context: context))
        #expect(try String(contentsOfFile: dir.path + "/r.nmap", encoding: .utf8) == Report.render(.normal, report, context: context))
    }
}

/// The real file system for files, safe to call from both rounds' threads: standard output is
/// kept in memory (or fails with a broken pipe, or waits for a file's rename while the files wait
/// for it to start), one file's writes can fail after a number of bytes, and the order of the
/// events that matter is recorded.
final class RoundsFileSystem: ForwardingFileSystem, Sendable {
    let real = SystemFileSystem()
    private let failing: String?
    private let limit: Int
    private let brokenStandardOutput: Bool
    private let holdUntilRenamed: String?
    private struct State {
        var standardOutput: [UInt8] = []
        var events: [String] = []
        var failingDescriptor: Int32?
        var failingWritten = 0
        var renamed: Set<String> = []
        var released = false
    }
    private let state = Mutex(State())

    init(failing: String? = nil, after limit: Int = .max, brokenStandardOutput: Bool = false,
         holdStandardOutputUntilRenamed: String? = nil) {
        self.failing = failing
        self.limit = limit
        self.brokenStandardOutput = brokenStandardOutput
        holdUntilRenamed = holdStandardOutputUntilRenamed
    }

    var standardOutput: [UInt8] { state.withLock { $0.standardOutput } }
    var events: [String] { state.withLock { $0.events } }

    func createExclusive(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno> {
        let result = real.createExclusive(path, mode: mode)
        if let failing, case .success(let fd) = result, path.description.contains(failing), !path.description.contains("-check-") {
            state.withLock { $0.failingDescriptor = fd }
        }
        return result
    }

    func rename(_ from: ReportPath, _ to: ReportPath) -> Result<Void, Errno> {
        let result = real.rename(from, to)
        let name = String(to.description.split(separator: "/").last ?? "")
        state.withLock {
            $0.renamed.insert(name)
            $0.events.append("renamed \(name)")
        }
        return result
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        if fd == STDOUT_FILENO {
            if brokenStandardOutput { return .failure(Errno(code: EPIPE)) }
            if let holdUntilRenamed, !state.withLock({ $0.released }) {
                state.withLock { $0.events.append("standard output blocked") }
                let deadline = ContinuousClock.now + .seconds(20)
                while !state.withLock({ $0.renamed.contains(holdUntilRenamed) }) && ContinuousClock.now < deadline {
                    usleep(1_000)
                }
                state.withLock {
                    $0.released = true
                    $0.events.append("standard output released")
                }
            }
            state.withLock {
                if $0.standardOutput.isEmpty { $0.events.append("standard output written") }
                $0.standardOutput += bytes
            }
            return .success(bytes.count)
        }
        if holdUntilRenamed != nil {
            let deadline = ContinuousClock.now + .seconds(20)
            while !state.withLock({ $0.events.contains("standard output blocked") }) && ContinuousClock.now < deadline {
                usleep(1_000)
            }
        }
        let failed = state.withLock { state -> Bool in
            guard fd == state.failingDescriptor else { return false }
            if state.failingWritten + bytes.count > limit { return true }
            state.failingWritten += bytes.count
            return false
        }
        return failed ? .failure(Errno(code: ENOSPC)) : real.write(fd, bytes)
    }
}
