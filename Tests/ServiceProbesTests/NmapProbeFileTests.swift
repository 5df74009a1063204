import Foundation
import Testing
@testable import ServiceProbes

/// The real database that nmap installs (CI installs nmap), parsed and matched as nmap would.
@Suite("nmap's probe file")
struct NmapProbeFileTests {
    static let path = "/usr/share/nmap/nmap-service-probes"
    static let database: ProbeDatabase = {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return ProbeFileParser.parse([UInt8](data))
    }()

    static func ruleLineCount() -> Int {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .count { $0.hasPrefix("match ") || $0.hasPrefix("softmatch ") }
    }

    @Test("every match and softmatch line of the installed file either compiles or is reported as an issue")
    func everyRuleAccountedFor() {
        let database = Self.database
        let rules = database.probes.reduce(0) { $0 + $1.rules.count }
        #expect(rules > 10_000)
        #expect(rules + database.issues.count == Self.ruleLineCount())
        // PCRE2 reads nmap's PCRE patterns: all but a handful must compile.
        #expect(database.issues.count < 20, "\(database.issues.prefix(5))")
    }

    @Test("the probes carry nmap's directives: NULL first with its waits, GetRequest's ports and sslports, fallbacks")
    func directives() throws {
        let database = Self.database
        let null = try #require(database.probes.first)
        #expect(null.name == "NULL" && null.transport == .tcp && null.payload.isEmpty)
        #expect(null.totalWaitMilliseconds == 6_000 && null.tcpWrappedMilliseconds == 3_000)
        let get = try #require(database.index(of: "GetRequest", transport: .tcp))
        #expect(database.probes[get].payload == Array("GET / HTTP/1.0\r\n\r\n".utf8))
        #expect(database.probes[get].rarity == 1)
        #expect(database.probes[get].ports.contains(80) && database.probes[get].sslPorts.contains(443))
        let options = try #require(database.index(of: "HTTPOptions", transport: .tcp))
        #expect(database.ruleSources(for: options).map { database.probes[$0].name } == ["HTTPOptions", "GetRequest", "NULL"])
        #expect(database.isExcluded(port: 9100, transport: .tcp) && !database.isExcluded(port: 9100, transport: .udp))
        let udpDNS = try #require(database.index(of: "DNSVersionBindReq", transport: .udp))
        let tcpDNS = try #require(database.index(of: "DNSVersionBindReqTCP", transport: .tcp))
        #expect(database.ruleSources(for: tcpDNS).contains(udpDNS), "a TCP probe may fall back on a UDP probe's rules")
        #expect(database.probes[udpDNS].payload.prefix(4) == [0, 6, 1, 0])
    }

    @Test("an OpenSSH banner reads as nmap prints it: ssh, OpenSSH, 9.2p1 Debian 2+deb12u3, protocol 2.0")
    func openSSH() throws {
        let match = try #require(Self.database.match(Array("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".utf8), probe: 0))
        #expect(match.service == "ssh" && !match.isSoft)
        #expect(match.product == "OpenSSH")
        #expect(match.version == "9.2p1 Debian 2+deb12u3")
        #expect(match.info == "protocol 2.0")
        #expect(match.osType == "Linux")
        #expect(match.cpes == ["cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"])
    }

    @Test("well-known banners of the testbed's daemons name their products")
    func knownBanners() throws {
        let database = Self.database
        let get = try #require(database.index(of: "GetRequest", transport: .tcp))
        let nginx = try #require(database.match(Array("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n<html>".utf8), probe: get))
        #expect(nginx.service == "http" && nginx.product == "nginx" && nginx.version == "1.22.1")
        let vsftpd = try #require(database.match(Array("220 (vsFTPd 3.0.3)\r\n".utf8), probe: 0))
        #expect(vsftpd.service == "ftp" && vsftpd.product == "vsftpd" && vsftpd.version == "3.0.3")
        let tcpDNS = try #require(database.index(of: "DNSVersionBindReqTCP", transport: .tcp))
        var dns: [UInt8] = [0, 0x37, 0, 6, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 7] + Array("version".utf8) + [4] + Array("bind".utf8)
        dns += [0, 0, 0x10, 0, 3, 0xC0, 0x0C, 0, 0x10, 0, 3, 0, 0, 0, 0, 0, 0x0D, 0x0C] + Array("dnsmasq-2.90".utf8)
        let dnsmasq = try #require(database.match(dns, probe: tcpDNS))
        #expect(dnsmasq.service == "domain" && dnsmasq.product == "dnsmasq" && dnsmasq.version == "2.90")
        let nothing = database.match(Array("\u{1B}[2J hello".utf8), probe: 0)
        #expect(nothing == nil)
    }
}
