import Foundation
import Glibc

/// The target's services: Benchmarks/testbed/responder.py (shared with the benchmark scripts) running
/// inside the target namespace (or, with `--hold-client`, a client of them in the scanner namespace). Its stdin is a pipe whose write end only this process holds: if the test
/// process dies without a teardown, the responder reads end of file and exits by itself.
final class TestbedResponder {
    private let process = Process()
    private let hold = Pipe()
    private let logPath: String

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Benchmarks/testbed/responder.py").path
    }

    /// The responder's command line for a layout; nil when the layout binds nothing.
    static func arguments(for layout: TestbedLayout) -> [String]? {
        let bound: [(String, TestbedPorts)] = [
            ("--tcp", layout.tcp.open), ("--tcp-echo", layout.tcp.echo), ("--udp-echo", layout.udp.echo),
            ("--udp-dns", layout.udp.dns), ("--udp-silent", layout.udp.silent),
        ]
        let flags = bound.filter { !$0.1.isEmpty }.flatMap { [$0.0, $0.1.spec] }
        return flags.isEmpty ? nil : flags
    }

    /// Starts it and waits until every socket is bound.
    init(namespace: String, arguments: [String]) throws(TestbedError) {
        logPath = NSTemporaryDirectory() + "pg-responder-\(getpid())-\(TestbedSequence.next()).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let argv = ["netns", "exec", namespace, try TestbedTools.require("python3"), Self.scriptPath] + arguments
        process.executableURL = URL(fileURLWithPath: try TestbedTools.require("ip"))
        process.arguments = argv
        process.standardInput = hold
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        do {
            try process.run()
        } catch {
            throw .launchFailed(["ip"] + argv, "\(error)")
        }
        let deadline = ContinuousClock.now + .seconds(15)
        while !logSaysReady() {
            guard process.isRunning, ContinuousClock.now < deadline else {
                let text = readLog()
                stop()
                throw .responderNotReady(text)
            }
            usleep(10_000)
        }
    }

    /// Closes its stdin (it finishes and says its last words), waits briefly, then ends it. Returns
    /// everything it printed.
    @discardableResult
    func stop() -> String {
        try? hold.fileHandleForWriting.close()
        let grace = ContinuousClock.now + .seconds(3)
        while process.isRunning && ContinuousClock.now < grace { usleep(5_000) }
        if process.isRunning { process.terminate() }
        let killAt = ContinuousClock.now + .seconds(2)
        while process.isRunning && ContinuousClock.now < killAt { usleep(5_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        let text = readLog()
        try? FileManager.default.removeItem(atPath: logPath)
        return text
    }

    private func logSaysReady() -> Bool {
        readLog().split(separator: "\n").contains("ready")
    }

    private func readLog() -> String {
        FileManager.default.contents(atPath: logPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
