import Foundation
import Testing

/// The real binary in a real terminal (tmux at 120x40) scanning loopback listeners: open ports
/// show, technique keys switch, help opens, resizes relayout, and `q` restores the terminal and
/// prints the table.
@Suite(.serialized) struct TUITmuxTests {
    static var binary: String {
        if let chosen = ProcessInfo.processInfo.environment["PORTGRID_BINARY"], !chosen.isEmpty { return chosen }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("portgrid").path
    }

    static var canRun: Bool { TUITmuxSession.tmuxPath != nil && FileManager.default.isExecutableFile(atPath: binary) }

    /// A shell line that runs portgrid, then reports its exit status and whether the tty came back
    /// in canonical mode (a TUI that forgot endwin leaves it raw), and stays open to be read.
    static func command(_ arguments: String) -> String {
        let q = "'"
        return "sh -c " + q + "env LANG=C.UTF-8 TERM=xterm-256color \(binary) \(arguments); echo \"portgrid exited $?\"; "
            + "stty -a | grep -q -- \" icanon\" && echo tty-canonical || echo tty-raw; sleep 600" + q
    }

    @Test(.enabled(if: canRun, "tmux or the portgrid binary is missing: TUI end-to-end skipped"),
          .timeLimit(.minutes(2)))
    func liveScanKeysResizeAndQuit() async throws {
        let listeners = try TUILoopbackListeners(count: 3)
        defer { listeners.close() }
        let ports = listeners.ports.map(String.init).joined(separator: ",") + ",1-200"
        let session = try TUITmuxSession(command: Self.command("127.0.0.1 -Pn -p \(ports) -sT"), cols: 120, rows: 40)
        defer { session.close() }

        // The scan runs and its open ports show in the header counts and in the list view.
        try await session.waitFor("the scan to finish") { screen in screen.count > 1 && screen[1].hasPrefix("done") }
        try session.send("v")
        // The list's own heading first: the log's "discovered open port N/tcp" lines match the rest.
        let list = try await session.waitFor("the open-ports list") { screen in
            screen.contains { $0.contains("PORT") && $0.contains("STATE") && $0.contains("SERVICE") }
                && listeners.ports.allSatisfy { port in screen.contains { $0.contains("\(port)/tcp") && $0.contains("open ") } }
        }
        #expect(list.contains { $0.contains("Open ports · TCP connect") })

        // A technique key switches live: the header names the new technique.
        try session.send("u")
        try await session.waitFor(text: "UDP -sU")
        try session.send("t")
        try await session.waitFor(text: "TCP connect -sT")

        // Help opens over everything and closes on Esc.
        try session.send("?")
        try await session.waitFor(text: "portgrid keys")
        try session.send("Escape")
        try await session.waitFor("the help to close") { !$0.contains { $0.contains("portgrid keys") } }

        // T opens the running scan's timing flags on a line; typed flags apply to it on Enter.
        try session.send("T")
        try await session.waitFor(text: "timing flags: -T3")
        try session.send("C-u")
        try session.send("-l", "--", "-T4 --max-retries 2 --max-rtt-timeout 300ms")
        try session.send("Enter")
        // The scan is over by now: the change is for the next one, and the line says so.
        try await session.waitFor(text: "timing -T4 --initial-rtt-timeout 300ms --max-rtt-timeout 300ms --max-retries 2, for the next scan (R rescans)")

        // Resizing relayouts: the frame spans the new width, and a tiny window says so.
        try session.resize(cols: 80, rows: 24)
        // Both borders in one capture: tmux may be read while the redraw is halfway down the screen.
        try await session.waitFor("an 80x24 layout, top and bottom borders") { screen in
            screen.count >= 24 && screen.contains { $0.hasPrefix("┌─ Hosts") && $0.hasSuffix("┐") && $0.count == 80 }
                && screen.contains { $0.hasPrefix("└") && $0.hasSuffix("┘") }
        }
        try session.resize(cols: 30, rows: 8)
        try await session.waitFor(text: "terminal too small")
        try session.resize(cols: 120, rows: 40)
        try await session.waitFor("the 120x40 layout back") { screen in
            screen.contains { $0.hasPrefix("┌─ Hosts") && $0.count == 120 }
        }

        // q: curses is left, the shell's tty is canonical again, and the table is printed.
        try session.send("q")
        let after = try await session.waitFor(text: "portgrid exited")
        #expect(after.contains { $0.contains("portgrid exited 0") })
        let final = try await session.waitFor(text: "tty-")
        #expect(final.contains("tty-canonical"))
        #expect(!final.contains { $0.contains("┌─ Hosts") })
        for port in listeners.ports {
            #expect(final.contains { $0.hasPrefix("\(port)/tcp") && $0.contains("open") }, "port \(port) in the table")
        }
    }

    @Test(.enabled(if: canRun, "tmux or the portgrid binary is missing: TUI end-to-end skipped"),
          .timeLimit(.minutes(1)))
    func sigtermRestoresTheTerminal() async throws {
        let session = try TUITmuxSession(command: Self.command("127.0.0.1 -Pn -p 1-100 -sT"), cols: 100, rows: 30)
        defer { session.close() }
        try await session.waitFor(text: "┌─ Hosts")
        let portgrid = try session.processes(running: Self.binary)
        #expect(portgrid.count == 1)
        for pid in portgrid { kill(pid, SIGTERM) }
        let final = try await session.waitFor(text: "tty-")
        #expect(final.contains("tty-canonical"))
        #expect(!final.contains { $0.contains("┌─ Hosts") })
    }

    /// Whether a process still runs. A zombie has ended: once tmux's session is gone its pane's
    /// process may be reparented to a PID 1 that never reaps (a container's), so `kill(pid, 0)`
    /// alone would call an exited process alive.
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// A terminal that vanishes (tmux kill-session, a dropped ssh) must end the process, not leave
    /// it spinning on reads that fail at once.
    @Test(.enabled(if: canRun, "tmux or the portgrid binary is missing: TUI end-to-end skipped"),
          .timeLimit(.minutes(1)))
    func aClosedTerminalEndsTheProcess() async throws {
        let session = try TUITmuxSession(command: "env LANG=C.UTF-8 \(Self.binary) 127.0.0.1 -Pn -p 1-100 -sT",
                                         cols: 100, rows: 30)
        try await session.waitFor(text: "┌─ Hosts")
        let portgrid = try session.processes(running: Self.binary)
        #expect(portgrid.count == 1)
        session.close()
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, portgrid.contains(where: Self.isRunning) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let alive = portgrid.filter(Self.isRunning)
        // What each survivor was doing, for a failure seen only on a loaded CI machine: its state and
        // where every thread waits in the kernel.
        let states = alive.map { pid in
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))?
                .split(separator: "\n").first { $0.hasPrefix("State:") } ?? "?"
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let waits = tasks.map { task in
                let comm = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/comm", encoding: .utf8)) ?? "?"
                let wchan = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/wchan", encoding: .utf8)) ?? "?"
                return "\(comm.trimmingCharacters(in: .whitespacesAndNewlines)):\(wchan)"
            }
            return "\(pid) \(status) \(waits.joined(separator: " "))"
        }
        for pid in alive { kill(pid, SIGKILL) } // never leave one behind, even when failing
        #expect(alive.isEmpty, "portgrid kept running after its terminal closed: \(states.joined(separator: "; "))")
    }
}
