import Foundation
import Testing

/// A headless -sV run in host groups writes each group once its open ports are identified: the
/// first group's service (a loopback SSH greeting sent after half a second) is in the report with
/// its version, though the group was written while the second one was still to scan. Loopback only
/// (127.0.0.1 with the service, 127.0.0.2 with the port closed).
@Suite struct VersionHostgroupTests {
    static var canRun: Bool { FileManager.default.isExecutableFile(atPath: TestbedBinary.path) }

    @Test("-sV in host groups of one writes the first group with its service's version, and the report counts both groups",
          .enabled(if: canRun, "the portgrid binary is missing"), .timeLimit(.minutes(1)))
    func groupsWaitForTheirIdentities() async throws {
        let servers = try TUIBannerServers(banners: [TUIBannerServers.ssh], delay: .milliseconds(500))
        defer { servers.close() }
        let work = try ScratchDirectory()
        let xml = work.path + "/r.xml", normal = work.path + "/r.txt"
        let result = try await TestbedCommand.output(
            [try TestbedBinary.require(), "-sT", "-sV", "-Pn", "-n", "-p", "\(servers.ports[0])", "--max-hostgroup", "1",
             "--no-tui", "-oX", xml, "-oN", normal, "127.0.0.1-2"], timeout: .seconds(45))
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOfFile: xml, encoding: .utf8)
        #expect(text.contains("product=\"OpenSSH\""), "the first group was written without its version: \(text.suffix(900))")
        #expect(text.contains("<hosts up=\"2\" down=\"0\" total=\"2\"/>"), "\(text.suffix(400))")
        let report = try String(contentsOfFile: normal, encoding: .utf8)
        let first = try #require(report.range(of: "portgrid scan report for 127.0.0.1\n"), "\(report)")
        let second = try #require(report.range(of: "portgrid scan report for 127.0.0.2\n"), "\(report)")
        #expect(first.upperBound < second.lowerBound, "the groups in the order scanned")
        #expect(report.contains("OpenSSH"), "\(report)")
    }
}
