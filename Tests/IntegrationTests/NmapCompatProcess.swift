import Foundation
import Glibc

/// A child process with its output in files (a chatty child can never block on a full pipe),
/// a signal to send, and a bounded wait: a hung child is killed, never waited on forever.
final class NmapCompatProcess {
    struct Finished {
        /// The exit code, or 128 + the signal that ended it (the shell's convention).
        var status: Int32
        var stdout: String
        var stderr: String
    }

    enum Failure: Error, CustomStringConvertible {
        case timedOut([String], stderr: String)
        case cannotCreate(String)
        var description: String {
            switch self {
            case .timedOut(let argv, let stderr): "timed out and killed: \(argv.joined(separator: " "))\n\(stderr)"
            case .cannotCreate(let path): "cannot create the capture file \(path)"
            }
        }
    }

    private let process = Process()
    private let argv: [String]
    private let outPath: String
    private let errPath: String

    init(_ argv: [String], in directory: String) throws {
        self.argv = argv
        outPath = directory + "/.stdout-\(UUID().uuidString)"
        errPath = directory + "/.stderr-\(UUID().uuidString)"
        for path in [outPath, errPath] where !FileManager.default.createFile(atPath: path, contents: nil) {
            throw Failure.cannotCreate(path)
        }
        process.executableURL = URL(fileURLWithPath: argv[0])
        process.arguments = Array(argv.dropFirst())
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }

    var isRunning: Bool { process.isRunning }

    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    func wait(timeout: Duration) async throws -> Finished {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw Failure.timedOut(argv, stderr: read(errPath))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
        return Finished(status: status, stdout: read(outPath), stderr: read(errPath))
    }

    /// Runs to completion within `timeout`.
    static func run(_ argv: [String], in directory: String, timeout: Duration = .seconds(120)) async throws -> Finished {
        try await NmapCompatProcess(argv, in: directory).wait(timeout: timeout)
    }

    private func read(_ path: String) -> String {
        (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
