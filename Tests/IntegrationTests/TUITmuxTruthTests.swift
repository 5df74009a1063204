import Foundation
import Testing

/// Issue 9 end to end, in tmux at 80x24 and 120x40, scanning listeners on loopback addresses of
/// this run's own: the screen never hides pending work, names open ports without a keypress,
/// replaces the hosts on a new range, opens a host on Enter, and ends with the counts the report
/// prints. Every wait polls the screen against a deadline.
@Suite(.serialized) struct TUITmuxTruthTests {
    static let enabled = TUITmuxTests.canRun

    /// "open 3" -> 3, from the header's count line ("hosts up 1/1   open 3   closed 197 ...").
    static func count(_ name: String, in line: String) -> Int? {
        let words = line.split(separator: " ").map(String.init)
        guard let index = words.firstIndex(of: name), index + 1 < words.count else { return nil }
        return Int(words[index + 1])
    }

    /// A base like "127.77.3." on which .1-.9 are this run's own loopback addresses.
    static func privatePrefix() -> String {
        "127.\(Int.random(in: 64...250)).\(Int.random(in: 0...255))."
    }

    @Test("80x24, a rate-capped scan: mid-scan the host has pending ports and the grid shows them",
          .enabled(if: enabled, "tmux or the portgrid binary is missing"), .timeLimit(.minutes(2)))
    func midScanShowsPendingCells() async throws {
        let address = Self.privatePrefix() + "1"
        let session = try TUITmuxSession(
            command: TUITmuxTests.command("\(address) -Pn -p 1-3000 -sT --max-rate 100"), cols: 80, rows: 24)
        defer { session.close() }
        // 30 s at 100 a second: a loaded CI machine once missed the whole of a 10 s scan.
        let screen = try await session.waitFor("a running scan with decided and pending ports") { screen in
            guard screen.count > 4, screen[1].hasPrefix("running") else { return false }
            return (Self.count("closed", in: screen[2]) ?? 0) > 100 && (Self.count("pending", in: screen[2]) ?? 0) > 100
        }
        // The grid rows (after their port labels) hold pending or partly-scanned cells, and the
        // legend says what those glyphs mean.
        let gridRows = screen[4..<20].map { $0.split(separator: "│").last.map(String.init) ?? "" }
        #expect(gridRows.contains { $0.contains("░") || $0.contains("·") }, "\(screen.joined(separator: "\n"))")
        #expect(screen[21].contains("pending") && screen[21].contains("partly"))
        #expect(screen[1].contains("ETA") && !screen[1].contains("ETA 00:00"))
        #expect(!screen.contains { $0.contains("Log ·") })
        // At 80x24 the open ports and the log are one key away.
        #expect(screen[23].contains("L open ports+log"))
        try session.send("L")
        try await session.waitFor("the open-ports and log panels") { screen in
            screen.contains { $0.contains("Open ports · \(address)") && $0.contains("Log ·") }
        }
        try session.send("q")
        try await session.waitFor(text: "portgrid exited")
    }

    @Test("120x40: open ports by number and service name without a keypress; Enter opens the host; the last screen's counts equal the report's",
          .enabled(if: enabled, "tmux or the portgrid binary is missing"), .timeLimit(.minutes(2)))
    func openPortsNamedAndReportAgrees() async throws {
        let address = Self.privatePrefix() + "1"
        let listeners = NmapCompatListeners(ports: [22, 80, 443], address: address)
        defer { listeners.close() }
        try #require(listeners.ports == [22, 80, 443], "could not listen on \(address) 22, 80, 443")
        let session = try TUITmuxSession(command: TUITmuxTests.command("\(address) -Pn -n -p 1-600 -sT"), cols: 120, rows: 40)
        defer { session.close() }
        let done = try await session.waitFor("the scan to finish with ssh, http and https named") { screen in
            screen.count > 2 && screen[1].hasPrefix("done")
                && ["22/tcp ssh", "80/tcp http", "443/tcp https"].allSatisfy { name in screen.contains { $0.contains(name) } }
        }
        #expect(done.contains { $0.contains("discovered open port 443/tcp on \(address)") })
        let open = try #require(Self.count("open", in: done[2]))
        let closed = try #require(Self.count("closed", in: done[2]))
        #expect(open == 3)
        #expect(Self.count("pending", in: done[2]) == 0)

        try session.send("BTab") // grid -> hosts (Tab goes on to the log)
        try await session.waitFor("the host pane focused") { $0.contains { $0.contains("Enter host detail") } }
        try session.send("Enter")
        let detail = try await session.waitFor(text: "Host \(address)")
        #expect(detail.contains { $0.contains("22/tcp") && $0.contains("open") && $0.contains("syn-ack") })
        #expect(detail.contains { $0.contains("\(closed) tcp ports: closed") })
        try session.send("Escape")
        try await session.waitFor("the detail to close") { !$0.contains { $0.contains("Host \(address)") } }

        try session.send("q")
        let report = try await session.waitFor(text: "portgrid exited")
        let reportOpen = report.filter { $0.range(of: #"^\d+/tcp +open "#, options: .regularExpression) != nil }.count
        let notShown = report.compactMap { line -> Int? in
            guard line.hasPrefix("Not shown: "), line.contains("closed") else { return nil }
            return Int(line.dropFirst("Not shown: ".count).split(separator: " ")[0])
        }.reduce(0, +)
        let listedClosed = report.filter { $0.range(of: #"^\d+/tcp +closed "#, options: .regularExpression) != nil }.count
        #expect(reportOpen == open, "\(report.joined(separator: "\n"))")
        #expect(notShown + listedClosed == closed, "\(report.joined(separator: "\n"))")
    }

    @Test("r to a smaller range: the old hosts leave the list and the header counts only the new one",
          .enabled(if: enabled, "tmux or the portgrid binary is missing"), .timeLimit(.minutes(2)))
    func newRangeReplacesTheHosts() async throws {
        let prefix = Self.privatePrefix()
        let session = try TUITmuxSession(command: TUITmuxTests.command("\(prefix)1-4 -Pn -n -p 1-100 -sT"), cols: 80, rows: 24)
        defer { session.close() }
        try await session.waitFor("four hosts scanned") { screen in
            screen.count > 2 && screen[1].hasPrefix("done") && screen[2].contains("hosts up 4/4")
        }
        try session.send("r")
        try await session.waitFor(text: "targets:")
        try session.send("C-u")
        try session.send("\(prefix)2")
        try session.send("Enter")
        let after = try await session.waitFor("the new range scanned") { screen in
            screen.count > 2 && screen[1].hasPrefix("done") && screen[2].contains("hosts up 1/1")
        }
        #expect(after.contains { $0.contains("\(prefix)2 ") })
        for gone in [1, 3, 4] { #expect(!after.contains { $0.contains("\(prefix)\(gone) ") }, "\(prefix)\(gone) still listed") }
        #expect(after.contains { $0.contains("Hosts 1 ") })
        let open = Self.count("open", in: after[2]) ?? -1, closed = Self.count("closed", in: after[2]) ?? -1
        let filtered = Self.count("filtered", in: after[2]) ?? -1
        #expect(open + closed + filtered == 100, "\(after[2])")
        try session.send("q")
        let report = try await session.waitFor(text: "portgrid exited")
        #expect(!report.contains { $0.contains("report for \(prefix)1") })
        #expect(report.contains { $0.contains("report for \(prefix)2") })
    }

    @Test("60x14: the help box fits, scrolls to its last line, and closes",
          .enabled(if: enabled, "tmux or the portgrid binary is missing"), .timeLimit(.minutes(1)))
    func helpScrollsOnTheSmallestScreen() async throws {
        let session = try TUITmuxSession(command: TUITmuxTests.command("\(Self.privatePrefix())1 -Pn -n -p 1-100 -sT"),
                                         cols: 60, rows: 14)
        defer { session.close() }
        try await session.waitFor("the scan to finish") { $0.count > 1 && $0[1].hasPrefix("done") }
        try session.send("?")
        let first = try await session.waitFor(text: "portgrid keys")
        #expect(first.contains { $0.contains("PgUp PgDn · 1-") })
        try session.send("G")
        let last = try await session.waitFor("the help's last lines") { screen in
            screen.contains { $0.contains("Esc Enter q") && $0.contains("close") }
        }
        #expect(last.contains { $0.contains("portgrid keys") })
        try session.send("Escape")
        try await session.waitFor("the help to close") { !$0.contains { $0.contains("portgrid keys") } }
        try session.send("q")
        try await session.waitFor(text: "portgrid exited")
    }
}
