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
    func headless(_ arguments: [String], expecting ports: [UInt16]) throws -> Duration {
        let output = NSTemporaryDirectory() + "portgrid-tui-bench-\(getpid()).out"
        FileManager.default.createFile(atPath: output, contents: nil)
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
        return elapsed
    }

    func underTUI(_ arguments: [String]) async throws -> (Duration, ThreadTimes?) {
        let start = ContinuousClock.now
        let session = try TUITmuxSession(command: TUITmuxTests.command(arguments.joined(separator: " ")), cols: 120, rows: 40)
        defer { session.close() }
        let screen = try await session.waitFor("the scan to finish", timeout: .seconds(120)) { screen in
            screen.count > 1 && screen[1].hasPrefix("done") || screen.contains { $0.contains("portgrid exited") }
        }
        let elapsed = ContinuousClock.now - start
        guard !screen.contains(where: { $0.contains("portgrid exited") }) else {
            throw TUITmuxSession.Failure.timeout("a live TUI", screen: screen.joined(separator: "\n"))
        }
        let times = try session.processes(running: TUITmuxTests.binary).first.flatMap(Self.cpuTimes)
        try session.send("q")
        try await session.waitFor(text: "portgrid exited")
        return (elapsed, times)
    }

    @Test(.enabled(if: enabled, "set PORTGRID_TUI_BENCH=1 (and have tmux and the binary) to run the TUI benchmark"),
          .timeLimit(.minutes(10)))
    func allPortsOfLoopbackHeadlessVersusTUI() async throws {
        let listeners = try TUILoopbackListeners(count: 3)
        defer { listeners.close() }
        let arguments = ["127.0.0.1", "-Pn", "-p-", "-sT"]
        var headlessRuns: [Double] = [], tuiRuns: [Double] = [], uiCPU: [Double] = [], processCPU: [Double] = []
        for _ in 0..<3 {
            headlessRuns.append(Self.seconds(try headless(arguments, expecting: listeners.ports)))
            let (elapsed, times) = try await underTUI(arguments)
            tuiRuns.append(Self.seconds(elapsed))
            if let times {
                uiCPU.append(Self.seconds(times.uiCPU))
                processCPU.append(Self.seconds(times.processCPU))
            }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let ratio = median(tuiRuns) / median(headlessRuns)
        print("TUI benchmark, 127.0.0.1 -p- -sT: headless \(headlessRuns) s, TUI \(tuiRuns) s (launch to 'done' on screen, 50 ms polls); "
              + "median ratio \(ratio); UI thread CPU \(uiCPU) s of process CPU \(processCPU) s")
        #expect(uiCPU.allSatisfy { $0 < 1.0 }, "the UI thread should use well under a second of CPU")
        #expect(ratio < 1.25, "the TUI run took \(ratio)x the headless one")
    }
}
