import Foundation
import Testing

/// Does the screen slow the scan? A full -p- connect scan of loopback, headless and under the TUI
/// (tmux, 120x40), each timed from launch to done; and the CPU the UI thread ("portgrid-ui") used.
/// A benchmark, not a check of behaviour: it runs when PORTGRID_TUI_BENCH=1 and prints its figures.
@Suite(.serialized) struct TUIBenchmarkTests {
    static var enabled: Bool {
        ProcessInfo.processInfo.environment["PORTGRID_TUI_BENCH"] == "1" && TUITmuxTests.canRun
    }

    struct ThreadTimes {
        var uiCPU: Duration
        var processCPU: Duration
    }

    /// utime + stime of the process and of its UI thread, from /proc (clock ticks: 100 a second).
    static func cpuTimes(of pid: Int32) -> ThreadTimes? {
        func ticks(_ stat: String) -> Int? {
            guard let close = stat.lastIndex(of: ")") else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
            return user + system
        }
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task"),
              let whole = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)).flatMap(ticks) else { return nil }
        var ui = 0
        for task in tasks {
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? ""
            if comm.hasPrefix("portgrid-ui"), let t = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8)).flatMap(ticks) {
                ui += t
            }
        }
        return ThreadTimes(uiCPU: .milliseconds(ui * 10), processCPU: .milliseconds(whole * 10))
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A headless run, timed; it must end well and report every listener open, or the time means nothing.
    /// The number after `marker` in `text` ("scanned in 1.25 seconds", "done in 1.31s").
    static func figure(after marker: String, in text: String) -> Double? {
        guard let range = text.range(of: marker) else { return nil }
        return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }

    func headless(_ arguments: [String], expecting ports: [UInt16]) throws -> (wall: Duration, scan: Double?) {
        let output = NSTemporaryDirectory() + "portgrid-tui-bench-\(getpid()).out"
        // Not made: opening it for writing below throws.
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TUITmuxTests.binary)
        process.arguments = arguments + ["--no-tui"]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        let table = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus == 0, "headless run failed: \(table)")
        for port in ports {
            #expect(table.split(separator: "\n").contains { $0.hasPrefix("\(port)/tcp") && $0.contains("open") },
                    "headless table lacks \(port)/tcp open")
        }
        return (elapsed, Self.figure(after: "scanned in ", in: table))
    }

    /// Launch to "done" on screen, polled every 100 ms (each poll is a tmux client: polling faster
    /// would itself take CPU from the scan on a two-core machine), and the scan time in the footer.
    func underTUI(_ arguments: [String]) async throws -> (Duration, Double?, ThreadTimes?) {
        let start = ContinuousClock.now
        let session = try TUITmuxSession(command: TUITmuxTests.command(arguments.joined(separator: " ")), cols: 120, rows: 40)
        defer { session.close() }
        let screen = try await session.waitFor("the scan to finish", timeout: .seconds(120), every: .milliseconds(100)) { screen in
            screen.count > 1 && screen[1].hasPrefix("done") || screen.contains { $0.contains("portgrid exited") }
        }
        let elapsed = ContinuousClock.now - start
        guard !screen.contains(where: { $0.contains("portgrid exited") }) else {
            throw TUITmuxSession.Failure.timeout("a live TUI", screen: screen.joined(separator: "\n"))
        }
        let times = try session.processes(running: TUITmuxTests.binary).first.flatMap(Self.cpuTimes)
        let scan = screen.lazy.compactMap { Self.figure(after: "done in ", in: $0) }.first
        try session.send("q")
        try await session.waitFor(text: "portgrid exited")
        return (elapsed, scan, times)
    }

    @Test(.enabled(if: enabled, "set PORTGRID_TUI_BENCH=1 (and have tmux and the binary) to run the TUI benchmark"),
          .timeLimit(.minutes(10)))
    func allPortsOfLoopbackHeadlessVersusTUI() async throws {
        let listeners = try TUILoopbackListeners(count: 3)
        defer { listeners.close() }
        let arguments = ["127.0.0.1", "-Pn", "-p-", "-sT"]
        var headlessRuns: [Double] = [], tuiRuns: [Double] = [], uiCPU: [Double] = [], processCPU: [Double] = []
        var headlessScans: [Double] = [], tuiScans: [Double] = []
        for _ in 0..<3 {
            let (wall, scan) = try headless(arguments, expecting: listeners.ports)
            headlessRuns.append(Self.seconds(wall))
            if let scan { headlessScans.append(scan) }
            let (elapsed, tuiScan, times) = try await underTUI(arguments)
            tuiRuns.append(Self.seconds(elapsed))
            if let tuiScan { tuiScans.append(tuiScan) }
            if let times {
                uiCPU.append(Self.seconds(times.uiCPU))
                processCPU.append(Self.seconds(times.processCPU))
            }
        }
        func median(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.sorted()[values.count / 2] }
        let wallRatio = median(tuiRuns) / median(headlessRuns)
        let scanRatio = median(tuiScans) / median(headlessScans)
        print("TUI benchmark, 127.0.0.1 -p- -sT: wall (launch to done) headless \(headlessRuns) s, TUI \(tuiRuns) s, "
              + "ratio \(wallRatio); scan time as reported headless \(headlessScans) s, TUI \(tuiScans) s, ratio \(scanRatio); "
              + "UI thread CPU \(uiCPU) s of process CPU \(processCPU) s")
        #expect(uiCPU.allSatisfy { $0 < 1.0 }, "the UI thread should use well under a second of CPU")
        // Wall time carries tmux start-up and 100 ms polls; the scan's own time is the fair figure.
        #expect(wallRatio < 1.3, "the TUI run took \(wallRatio)x the headless one, launch to done")
        if !scanRatio.isNaN { #expect(scanRatio < 1.15, "the scan took \(scanRatio)x as long under the TUI") }
    }
}
