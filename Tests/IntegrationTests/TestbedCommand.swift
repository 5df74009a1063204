import Foundation
import Glibc

/// What a finished child process left behind.
struct CommandOutput: Sendable {
    var argv: [String]
    /// Exit status; 128 + N when signal N ended it (the shell's convention).
    var status: Int32
    var stdout: String
    var stderr: String
    var elapsed: Duration
}

/// Runs the testbed's child processes: `ip`, `nft`, `sysctl`, the scanner. Output goes to files, never
/// pipes, so a chatty child cannot stall on a full pipe while we wait for it; every wait has a deadline
/// after which the child is killed, so no test hangs on a stuck scan.
enum TestbedCommand {
    /// For short administrative commands (milliseconds): waits on the calling thread.
    @discardableResult
    static func run(_ argv: [String], stdin: String? = nil, timeout: Duration = .seconds(30),
                    check: Bool = true) throws(TestbedError) -> CommandOutput {
        let child = try Child(argv, stdin: stdin)
        let deadline = ContinuousClock.now + timeout
        while child.isRunning {
            if ContinuousClock.now >= deadline { throw child.kill(after: timeout) }
            usleep(2_000)
        }
        return try child.finish(check: check)
    }

    /// For scans (seconds to minutes): polls with `Task.sleep`, so the wait never holds one of the
    /// cooperative pool's two threads.
    /// `whileRunning` is called about every 40 ms until the child ends (a test watching the target meanwhile).
    /// That watch runs on a thread of its own: on the pool it went unscheduled for seconds while other
    /// tests' testbeds were built (their `run` calls wait on pool threads), and a test that had to see
    /// the scan's middle saw only its start.
    static func output(_ argv: [String], timeout: Duration,
                       whileRunning: (() -> Void)? = nil) async throws(TestbedError) -> CommandOutput {
        let child = try Child(argv, stdin: nil)
        let deadline = ContinuousClock.now + timeout
        if let whileRunning {
            let watch = Watch(child: child, deadline: deadline, timeout: timeout, whileRunning: whileRunning)
            if let failure = await watch.run() { throw failure }
            return try child.finish(check: false)
        }
        while child.isRunning {
            if ContinuousClock.now >= deadline { throw child.kill(after: timeout) }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return try child.finish(check: false)
    }
}

/// A child watched from a dedicated thread until it ends or its deadline passes. The caller waits for
/// the thread's answer, so the closure and the child are used by one thread at a time.
private final class Watch: @unchecked Sendable {
    let child: Child
    let deadline: ContinuousClock.Instant
    let timeout: Duration
    let whileRunning: () -> Void

    init(child: Child, deadline: ContinuousClock.Instant, timeout: Duration, whileRunning: @escaping () -> Void) {
        self.child = child
        self.deadline = deadline
        self.timeout = timeout
        self.whileRunning = whileRunning
    }

    /// nil when the child ended by itself; the timeout's error when it was killed.
    func run() async -> TestbedError? {
        await withCheckedContinuation { (done: CheckedContinuation<TestbedError?, Never>) in
            Thread.detachNewThread {
                var ticks = 0
                while self.child.isRunning {
                    if ContinuousClock.now >= self.deadline {
                        done.resume(returning: self.child.kill(after: self.timeout))
                        return
                    }
                    if ticks % 4 == 0 { self.whileRunning() }
                    ticks += 1
                    usleep(10_000)
                }
                done.resume(returning: nil)
            }
        }
    }
}

/// One running child and its scratch files.
private final class Child {
    let argv: [String]
    let process = Process()
    let started = ContinuousClock.now
    let outPath: String
    let errPath: String
    let inPath: String?

    init(_ argv: [String], stdin: String?) throws(TestbedError) {
        self.argv = argv
        let base = NSTemporaryDirectory() + "pg-testbed-\(getpid())-\(TestbedSequence.next())"
        outPath = base + ".out"
        errPath = base + ".err"
        inPath = stdin == nil ? nil : base + ".in"
        guard let tool = argv.first else { throw .launchFailed(argv, "empty command") }
        let executable = tool.hasPrefix("/") ? tool : try TestbedTools.require(tool)
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        if let inPath, let stdin { _ = FileManager.default.createFile(atPath: inPath, contents: Data(stdin.utf8)) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        process.standardInput = inPath.flatMap { FileHandle(forReadingAtPath: $0) } ?? FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            removeFiles()
            throw .launchFailed(argv, "\(error)")
        }
    }

    var isRunning: Bool { process.isRunning }

    /// SIGTERM, a grace period for the scanner to write what it has, then SIGKILL.
    func kill(after timeout: Duration) -> TestbedError {
        process.terminate()
        let grace = ContinuousClock.now + .seconds(3)
        while process.isRunning && ContinuousClock.now < grace { usleep(5_000) }
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let stderr = read(errPath)
        removeFiles()
        return .timedOut(argv, after: timeout, stderr: stderr)
    }

    func finish(check: Bool) throws(TestbedError) -> CommandOutput {
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
        let output = CommandOutput(argv: argv, status: status, stdout: read(outPath), stderr: read(errPath),
                                   elapsed: ContinuousClock.now - started)
        removeFiles()
        if check && status != 0 { throw .commandFailed(argv, status: status, stderr: output.stderr) }
        return output
    }

    private func read(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    private func removeFiles() {
        for path in [outPath, errPath] + (inPath.map { [$0] } ?? []) { try? FileManager.default.removeItem(atPath: path) }
    }
}
