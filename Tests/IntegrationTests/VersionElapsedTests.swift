import Foundation
import Testing

/// The report's "scanned in" counts service detection that outlasts the port scan, as nmap's does:
/// a loopback service that greets only after 1.5 s keeps -sV busy that long after its port was found
/// open in milliseconds. Loopback only.
@Suite struct VersionElapsedTests {
    static var canRun: Bool { FileManager.default.isExecutableFile(atPath: TestbedBinary.path) }

    @Test("-sV probing that outlasts the port scan counts in the report's scanning time",
          .enabled(if: canRun, "the portgrid binary is missing"), .timeLimit(.minutes(1)))
    func detectionCountsInScannedIn() async throws {
        let servers = try TUIBannerServers(banners: [TUIBannerServers.ssh], delay: .milliseconds(1500))
        defer { servers.close() }
        let work = try ScratchDirectory()
        let xml = work.path + "/r.xml"
        let result = try await TestbedCommand.output(
            [try TestbedBinary.require(), "-sT", "-sV", "-Pn", "-n", "-p", "\(servers.ports[0])", "--no-tui",
             "-oX", xml, "-oN", work.path + "/r.txt", "127.0.0.1"], timeout: .seconds(45))
        let wall = result.elapsed / .seconds(1)
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: xml, encoding: .utf8)
        #expect(text.contains("product=\"OpenSSH\""), "the greeting was not read: \(text.suffix(600))")
        let elapsed = try #require(text.firstRange(of: #/elapsed="([0-9.]+)"/#).flatMap { Double(text[$0].dropFirst(9).dropLast()) })
        // The greeting came 1.5 s after the connection: detection held the run at least that long,
        // and the report's figure is the run's own, not more than the wall time the test measured.
        #expect(elapsed >= 1.4 && elapsed <= wall, "elapsed \(elapsed) s for a run of \(wall) s")
        let normal = try String(contentsOfFile: work.path + "/r.txt", encoding: .utf8)
        #expect(!normal.contains("scanned in 0.0"), "\(normal.suffix(200))")
    }
}
