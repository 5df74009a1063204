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
        let names = ServiceDatabase.load(path: path, nmapServices: nil)
        #expect(names.name(port: 8080, proto: .tcp) == "http-proxy")
        #expect(names.name(port: 7777, proto: .tcp) == "toybox")
        #expect(names.name(port: 7777, proto: .udp) == "toybox")
        #expect(names.name(port: 22, proto: .tcp) == "ssh")
        #expect(names.name(port: 9999, proto: .tcp) == "abyss")
    }

    @Test func unreadableFileFallsBackToTheBuiltInTable() {
        let names = ServiceDatabase.load(path: "/nonexistent/portgrid/services", nmapServices: "/nonexistent/nmap-services")
        #expect(names.name(port: 443, proto: .tcp) == "https")
        #expect(names.name(port: 7777, proto: .tcp) == nil)
    }

    @Test func nmapsTableWinsWhereNmapIsInstalled() throws {
        let directory = try TemporaryDirectory()
        try "http-alt 8080/tcp\ntoybox 7777/tcp\n".write(toFile: directory.path + "/services", atomically: true, encoding: .utf8)
        try """
        # Fields in this file are: Service name, portnum/protocol, open-frequency, optional comments
        sun-sr-https\t6443/tcp\t0.000076
        unknown\t7777/tcp\t0.000100
        http-proxy\t8080/tcp\t0.042
        """.write(toFile: directory.path + "/nmap-services", atomically: true, encoding: .utf8)
        let names = ServiceDatabase.load(path: directory.path + "/services", nmapServices: directory.path + "/nmap-services")
        #expect(names.name(port: 6443, proto: .tcp) == "sun-sr-https", "nmap's name over the built-in kubernetes")
        #expect(names.name(port: 7777, proto: .tcp) == "unknown", "nmap's literal unknown, as nmap prints it")
        #expect(names.name(port: 8080, proto: .tcp) == "http-proxy")
        #expect(names.name(port: 22, proto: .tcp) == "ssh", "built-in table under nmap's")
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/etc/services")))
    func theSystemDatabaseLoads() {
        let names = ServiceDatabase.load()
        #expect(names.name(port: 22, proto: .tcp) == "ssh")
        #expect(names.name(port: 53, proto: .udp) == "domain")
    }
}
