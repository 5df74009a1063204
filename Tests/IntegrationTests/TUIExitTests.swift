import Foundation
import Glibc
import Testing

/// Every way out of the TUI keeps the results: Ctrl-C (a key in raw mode) and SIGINT, SIGTERM and SIGHUP,
/// once or in quick succession, end the session with 128 + the signal, and the JSON is written whole and
/// says the scan was interrupted (when it was still running). Loopback only, in tmux. The report's "scanned in" is the scanning time,
/// not the minutes the finished screen stayed open.
@Suite(.serialized) struct TUIExitTests {
    static var canRun: Bool { TUITmuxTests.canRun && TestbedTools.path(of: "python3") != nil }

    /// A shell line that runs the TUI, then writes its exit status beside the report and stays open.
    static func command(_ arguments: String, in directory: String) -> String {
        "sh -c 'cd \(directory) && env LANG=C.UTF-8 TERM=xterm-256color \(TUITmuxTests.binary) \(arguments); "
            + "echo $? > status; sleep 600'"
    }

    /// The exit status the shell wrote, once it is there. The deadline is generous (the exit takes under
    /// a second alone, but CI runs every suite at once on two cores), and the file is read once more
    /// after it: a poll starved past its deadline must not report a status that did come as none.
    static func status(in work: ScratchDirectory, timeout: Duration = .seconds(60)) async throws -> Int32? {
        let deadline = ContinuousClock.now + timeout
        func written() -> Int32? {
            work.read("status").flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        while ContinuousClock.now < deadline {
            if let value = written() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        return written()
    }

    static func report(in work: ScratchDirectory) throws -> [String: Any] {
        let text = try #require(work.read("r.json"), "no JSON written")
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "the JSON is not whole")
    }

    /// A connect scan of every port at 2,000 a second: still running when the test ends it.
    static let longScan = "127.0.0.1 -Pn -n -sT -p 1-65535 --max-rate 2000 -oJ r.json"

    @Test("Ctrl-C in the TUI exits 130 and writes the interrupted results",
          .enabled(if: canRun, "tmux, python3 or the portgrid binary is missing"), .timeLimit(.minutes(2)))
    func ctrlCExits130() async throws {
        let work = try ScratchDirectory()
        let session = try TUITmuxSession(command: Self.command(Self.longScan, in: work.path), cols: 100, rows: 30)
        defer { session.close() }
        try await session.waitFor(text: "┌─ Hosts")
        try session.send("C-c")
        let status = try await Self.status(in: work)
        // If it never came: was portgrid still running, and what did its pane show?
        let running: [Int32] = (try? session.processes(running: TUITmuxTests.binary)) ?? []
        let pane: String = (try? session.screen())?.joined(separator: "\n") ?? ""
        #expect(status == 130, "status \(status.map(String.init) ?? "none"); portgrid still running: \(running); the pane:\n\(pane)")
        #expect(try Self.report(in: work)["interrupted"] as? Bool == true)
    }

    @Test("Ctrl-C on a finished scan's screen exits 130, and the report does not say the scan was interrupted",
          .enabled(if: canRun, "tmux, python3 or the portgrid binary is missing"), .timeLimit(.minutes(2)))
    func ctrlCAfterTheScanFinished() async throws {
        let work = try ScratchDirectory()
        let session = try TUITmuxSession(command: Self.command("127.0.0.1 -Pn -n -sT -p 1-20 -oJ r.json -oN r.txt", in: work.path),
                                         cols: 100, rows: 30)
        defer { session.close() }
        try await session.waitFor(text: "done")
        try session.send("C-c")
        #expect(try await Self.status(in: work) == 130)
        #expect(try Self.report(in: work)["interrupted"] as? Bool == false)
        let normal = try #require(work.read("r.txt"), "no normal output written")
        #expect(!normal.contains("Scan interrupted"), "\(normal)")
    }

    @Test("a signal, once or twice in quick succession, ends the TUI with 128 + its number and the results whole",
          .enabled(if: canRun, "tmux, python3 or the portgrid binary is missing"), .timeLimit(.minutes(2)),
          arguments: [[SIGINT], [SIGTERM], [SIGHUP], [SIGTERM, SIGTERM], [SIGHUP, SIGINT]])
    func signalsEndTheSession(_ signals: [Int32]) async throws {
        let work = try ScratchDirectory()
        let session = try TUITmuxSession(command: Self.command(Self.longScan, in: work.path), cols: 100, rows: 30)
        defer { session.close() }
        try await session.waitFor(text: "┌─ Hosts")
        let portgrid = try session.processes(running: TUITmuxTests.binary)
        try #require(portgrid.count == 1)
        for (index, number) in signals.enumerated() {
            if index > 0 { usleep(3_000) }
            kill(portgrid[0], number)
        }
        // Two different signals 3 ms apart can reach two threads at once: either may be the one
        // recorded first, and the status says which; the same signal twice must give its own.
        let status = try await Self.status(in: work)
        #expect(status.map { code in signals.contains { 128 + $0 == code } } == true,
                "exit status \(status.map(String.init) ?? "none") after \(signals)")
        #expect(try Self.report(in: work)["interrupted"] as? Bool == true)
    }

    @Test("the report's scanning time leaves out the time the finished screen stays open",
          .enabled(if: canRun, "tmux, python3 or the portgrid binary is missing"), .timeLimit(.minutes(2)))
    func scannedInIsTheScanningTime() async throws {
        let work = try ScratchDirectory()
        let session = try TUITmuxSession(command: Self.command("127.0.0.1 -Pn -n -sT -p 1-20 -oX r.xml", in: work.path),
                                         cols: 100, rows: 30)
        defer { session.close() }
        try await session.waitFor(text: "┌─ Hosts")
        try await Task.sleep(for: .seconds(5))
        try session.send("q")
        #expect(try await Self.status(in: work) == 0)
        let xml = try #require(work.read("r.xml"), "no XML written")
        let elapsed = xml.firstRange(of: #/elapsed="([0-9.]+)"/#).flatMap { Double(xml[$0].dropFirst(9).dropLast()) }
        let seconds = try #require(elapsed, "no elapsed in \(xml.suffix(400))")
        // The screen stayed open 5 s: any figure from 5 up counts that time; a loaded machine may
        // take a few seconds over 20 ports, so the line is drawn well clear of both.
        #expect(seconds < 4, "scanned in \(seconds) s, though the screen stayed open 5 s after a 20-port scan")
    }

    @Test("--stats-every writes progress lines when stderr is not the TUI's terminal",
          .enabled(if: canRun, "tmux, python3 or the portgrid binary is missing"), .timeLimit(.minutes(2)))
    func statsLinesFromTheTUI() async throws {
        let work = try ScratchDirectory()
        let session = try TUITmuxSession(command: Self.command(Self.longScan + " --stats-every 200ms 2> stats.log", in: work.path),
                                         cols: 100, rows: 30)
        defer { session.close() }
        try await session.waitFor(text: "┌─ Hosts")
        try await Task.sleep(for: .seconds(1))
        try session.send("q")
        #expect(try await Self.status(in: work) == 0)
        let log = work.read("stats.log") ?? ""
        #expect(log.split(separator: "\n").contains { $0.hasPrefix("portgrid: stats: ") }, "stats.log: \(log)")
    }
}
