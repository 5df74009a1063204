import Foundation
import Testing

/// -sV live in the real binary under tmux (issue 16), on loopback banner servers: versions appear
/// beside the open ports as they are learned, Enter on a port shows its banner escaped (a hostile
/// service's escapes never reach the terminal), V turns detection off and on, and the table printed
/// on q carries the versions.
@Suite(.serialized) struct TUITmuxDetectionTests {
    static var canRun: Bool { TUITmuxTests.canRun }

    @Test("at 80x24 and 120x40, -sV shows versions live, opens a port's escaped banner, and V toggles probing",
          .enabled(if: canRun, "tmux or the portgrid binary is missing: TUI end-to-end skipped"),
          .timeLimit(.minutes(3)), arguments: [(80, 24), (120, 40)])
    func liveVersions(size: (cols: Int, rows: Int)) async throws {
        let servers = try TUIBannerServers(banners: [TUIBannerServers.ssh, TUIBannerServers.hostile])
        defer { servers.close() }
        let (ssh, hostile) = (servers.ports[0], servers.ports[1])
        let arguments = "127.0.0.1 -Pn -n -sT -sV --version-light -p \(ssh),\(hostile)"
        let session = try TUITmuxSession(command: TUITmuxTests.command(arguments), cols: size.cols, rows: size.rows)
        defer { session.close() }

        // Both ports identified: the header counts them, the open-ports list shows the version.
        try await session.waitFor("both ports identified", timeout: .seconds(60)) { screen in
            screen.count > 2 && screen[2].contains("-sV 2 known")
        }
        try session.send("v")
        let list = try await session.waitFor("the list with versions") { screen in
            screen.contains { $0.contains("VERSION") }
                && screen.contains { $0.contains("\(ssh)/tcp") && $0.contains("ssh") && $0.contains("OpenSSH") }
        }
        #expect(list.contains { $0.contains("\(hostile)/tcp") })

        // Enter on the hostile port: its bytes are shown escaped and the screen stays whole.
        let hostileRow = ssh < hostile ? 1 : 0
        if hostileRow == 1 { try session.send("Down") }
        try session.send("Enter")
        let detail = try await session.waitFor("the hostile port's detail") { screen in
            screen.contains { $0.contains("Port \(hostile)/tcp on 127.0.0.1") }
                && screen.contains { $0.contains("\\x1b[2J\\x1b[H\\x1b[31mPWNED\\x00\\x9b\\x07\\r\\n") }
        }
        #expect(detail.first?.hasPrefix("portgrid") == true, "the header survived: no escape reached the terminal")
        #expect(!detail.joined().contains("\u{1B}"))
        try session.send("Escape")

        // Enter on the SSH port: service, product, version, and its greeting.
        try session.send(hostileRow == 1 ? "Up" : "Down")
        try session.send("Enter")
        try await session.waitFor("the SSH port's detail") { screen in
            screen.contains { $0.contains("Product   OpenSSH") } && screen.contains { $0.contains("SSH-2.0-OpenSSH_9.2p1") }
        }
        try session.send("Escape")

        // V: off, then on; each says so in the header.
        try session.send("V")
        try await session.waitFor("detection off") { $0.count > 2 && $0[2].contains("-sV off") }
        try session.send("V")
        try await session.waitFor("detection on") { $0.count > 2 && $0[2].contains("-sV 2 known") }

        // q: the printed table has the VERSION column.
        try session.send("q")
        let final = try await session.waitFor(text: "portgrid exited")
        #expect(final.contains { $0.contains("portgrid exited 0") })
        #expect(final.contains { $0.hasPrefix("\(ssh)/tcp") && $0.contains("OpenSSH 9.2p1") })
    }

    @Test("at 80x24 and 120x40, portgrid view watches a shard land, refuses scan keys with one line, and q exits",
          .enabled(if: canRun, "tmux or the portgrid binary is missing: TUI end-to-end skipped"),
          .timeLimit(.minutes(3)), arguments: [(80, 24), (120, 40)])
    func viewWatchesShardsLand(size: (cols: Int, rows: Int)) async throws {
        let listeners = try TUILoopbackListeners(count: 4)
        defer { listeners.close() }
        let scratch = ShardScratch()
        defer { scratch.remove() }
        let ports = listeners.ports.map(String.init).joined(separator: ",") + ",1-60"
        let scan = ["-sT", "-Pn", "-n", "-p", ports, "--seed", "11", "--no-tui", "127.0.0.1"]
        let first = scratch.file("shard-1.json"), second = scratch.file("shard-2.json")
        let one = try MergeCLITests.portgrid(scan + ["--shard", "1/2", "-oJ", first])
        #expect(one.status == 0, "\(one.stderr)")

        let session = try TUITmuxSession(command: TUITmuxTests.command("view --watch 0.2 \(first) \(second)"),
                                         cols: size.cols, rows: size.rows)
        defer { session.close() }
        try await session.waitFor("one shard shown, the other missing") { screen in
            screen.count > 1 && screen[1].contains("1/2 reports") && screen[1].contains("missing 2/2")
        }
        // Keys that would scan are refused, with one line in the footer.
        try session.send("s")
        try await session.waitFor(text: "read-only view of stored reports: s would start a scan")
        try session.send("r")
        try await session.waitFor(text: "r would change what is scanned")

        // The second shard lands: the screen updates by itself.
        let two = try MergeCLITests.portgrid(scan + ["--shard", "2/2", "-oJ", second])
        #expect(two.status == 0, "\(two.stderr)")
        try await session.waitFor("both shards shown") { screen in
            screen.count > 1 && screen[1].hasPrefix("complete 2/2 reports") && screen[1].contains("100%")
        }
        try session.send("v")
        try await session.waitFor("every listener open in the list") { screen in
            listeners.ports.allSatisfy { port in screen.contains { $0.contains("\(port)/tcp") && $0.contains("open") } }
        }

        try session.send("q")
        let final = try await session.waitFor(text: "tty-")
        #expect(final.contains { $0.contains("portgrid exited 0") })
        #expect(final.contains("tty-canonical"))
        for port in listeners.ports {
            #expect(final.contains { $0.hasPrefix("\(port)/tcp") && $0.contains("open") }, "port \(port) in the table")
        }
    }
}
