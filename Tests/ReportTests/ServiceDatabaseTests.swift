import Foundation
import PortgridCore
import Report
import Testing

struct ServiceDatabaseTests {
    @Test func systemFileFillsInWhatTheBuiltInTableLacks() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/services"
        try """
        # comment line
        http-alt\t8080/tcp    webcache   # the table's http-proxy wins
        toybox  7777/tcp
        toybox  7777/udp      toy
        broken  notaport/tcp
        second  7777/tcp
          \t
        sctp-only 9999/sctp
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let names = ServiceDatabase.load(path: path)
        #expect(names.name(port: 8080, proto: .tcp) == "http-proxy")
        #expect(names.name(port: 7777, proto: .tcp) == "toybox")
        #expect(names.name(port: 7777, proto: .udp) == "toybox")
        #expect(names.name(port: 22, proto: .tcp) == "ssh")
        #expect(names.name(port: 9999, proto: .tcp) == "abyss")
    }

    @Test func unreadableFileFallsBackToTheBuiltInTable() {
        let names = ServiceDatabase.load(path: "/nonexistent/portgrid/services")
        #expect(names.name(port: 443, proto: .tcp) == "https")
        #expect(names.name(port: 7777, proto: .tcp) == nil)
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/etc/services")))
    func theSystemDatabaseLoads() {
        let names = ServiceDatabase.load()
        #expect(names.name(port: 22, proto: .tcp) == "ssh")
        #expect(names.name(port: 53, proto: .udp) == "domain")
    }
}
