import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PortgridCore
import Testing
@testable import Report

/// What -sV learned, as each format writes it, and a hostile service's bytes kept out of every format.
@Suite("Detected services in reports")
struct DetectedServiceTests {
    static let host = IPAddress("198.18.0.2")!

    static func store() -> ResultStore {
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host], ports: PortSet([22...22, 443...443, 9999...9999]),
                                      timing: .normal)))
        store.apply(.results(PortResults([22, 443, 9999].map {
            PortResult(host: host, proto: .tcp, port: $0, state: .open, reason: .synAck, technique: .connect)
        })))
        return store
    }

    static func context() -> ReportContext {
        var context = ReportContext(version: "0.1.0", arguments: ["portgrid", "-sV", "--reason"], start: Date(timeIntervalSince1970: 0),
                                    end: Date(timeIntervalSince1970: 1), interrupted: false, services: .builtIn,
                                    timeZone: .utc)
        context.showReasons = true
        let ssh = ServiceIdentity(name: "ssh", product: "OpenSSH", version: "9.2p1 Debian 2+deb12u3", extraInfo: "protocol 2.0",
                                  osType: "Linux", cpes: ["cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"])
        let https = ServiceIdentity(name: "http", product: "nginx", version: "1.22.1", cpes: ["cpe:/a:igor_sysoev:nginx:1.22.1"],
                                    tunnelSSL: true,
                                    tls: TLSDetails(protocolVersion: "TLSv1.3", subject: "CN=testbed", issuer: "CN=testbed",
                                                    subjectAltNames: ["DNS:testbed.test"], notAfter: "2036-01-01T00:00:00Z"))
        // A hostile service: a product full of terminal escapes and NUL bytes, a banner to match.
        let hostile = ServiceIdentity(name: "evil", product: "\u{1B}[2J\u{1B}]0;owned\u{07}x\0y", version: "1,\"2\"\n3",
                                      banner: [0x1B, 0x5B, 0x32, 0x4A, 0x00, 0x0D, 0x0A])
        context.detected = [
            ServiceKey(host: host, proto: .tcp, port: 22): ssh,
            ServiceKey(host: host, proto: .tcp, port: 443): https,
            ServiceKey(host: host, proto: .tcp, port: 9999): hostile,
        ]
        return context
    }

    func render(_ format: ReportFormat) -> String { Report.render(format, Self.store(), context: Self.context()) }

    @Test("normal output gains nmap's VERSION column and ssl/ names for tunnelled services")
    func normal() {
        let text = render(.normal)
        #expect(text.contains("PORT     STATE SERVICE  REASON  VERSION"))
        #expect(text.contains("22/tcp   open  ssh      syn-ack OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)"))
        #expect(text.contains("443/tcp  open  ssl/http syn-ack nginx 1.22.1"))
    }

    @Test("Markdown gains a Version column")
    func markdown() {
        let text = render(.markdown)
        #expect(text.contains("| Port | State | Service | Reason | Version |"))
        #expect(text.contains("| 22/tcp | open | ssh | syn-ack | OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0) |"))
    }

    @Test("grepable ports carry the version field as nmap writes it")
    func grepable() {
        let text = render(.grepable)
        #expect(text.contains("22/open/tcp//ssh//OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)/"))
        #expect(text.contains("443/open/tcp//ssl|http//nginx 1.22.1/"))
    }

    @Test("XML has nmap's service element with product, version, extrainfo, ostype, tunnel, method, conf and cpe")
    func xml() throws {
        let text = render(.xml)
        #expect(text.contains("<service name=\"ssh\" product=\"OpenSSH\" version=\"9.2p1 Debian 2+deb12u3\" extrainfo=\"protocol 2.0\" "
                              + "ostype=\"Linux\" method=\"probed\" conf=\"10\"><cpe>cpe:/a:openbsd:openssh:9.2p1</cpe>"
                              + "<cpe>cpe:/o:linux:linux_kernel</cpe></service>"))
        #expect(text.contains("<service name=\"http\" product=\"nginx\" version=\"1.22.1\" tunnel=\"ssl\" method=\"probed\" conf=\"10\">"))
        // Well-formed even with the hostile service in it.
        _ = try XMLDocument(xmlString: text, options: [])
    }

    @Test("JSON and CSV carry product, version, extra info, tunnel and CPEs; JSON also the TLS certificate")
    func jsonAndCSV() throws {
        let json = render(.json)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let hosts = try #require(parsed["hosts"] as? [[String: Any]])
        let ports = try #require(hosts.first?["ports"] as? [[String: Any]])
        let https = try #require(ports.first { $0["port"] as? Int == 443 })
        #expect(https["product"] as? String == "nginx" && https["tunnel"] as? String == "ssl")
        let tls = try #require(https["tls"] as? [String: Any])
        #expect(tls["subject"] as? String == "CN=testbed" && tls["san"] as? [String] == ["DNS:testbed.test"])
        let csv = render(.csv)
        #expect(csv.hasPrefix("host,hostname,protocol,port,state,reason,service,technique,rtt_ms,product,version,extrainfo,tunnel,cpe\n"))
        #expect(csv.contains("198.18.0.2,,tcp,22,open,syn-ack,ssh,connect,,OpenSSH,9.2p1 Debian 2+deb12u3,protocol 2.0,,cpe:/a:openbsd:openssh:9.2p1 cpe:/o:linux:linux_kernel"))
    }

    @Test("no escape, bell or NUL byte from a hostile service reaches any format; text formats show them as \\x escapes")
    func hostileBytesEscaped() {
        for format in [ReportFormat.normal, .grepable, .xml, .json, .csv, .markdown] {
            let text = render(format)
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0 }, "\(format)")
        }
        #expect(render(.normal).contains("\\x1b[2J\\x1b]0;owned\\x07x\\x00y 1,\"2\"\\x0a3"))
        // The CSV row still has exactly one line per port: the newline in the version was made visible.
        #expect(render(.csv).split(separator: "\n").count == 4)
    }

    @Test("without -sV the formats keep their usual columns")
    func withoutDetection() {
        var context = Self.context()
        context.detected = nil
        let normal = Report.render(.normal, Self.store(), context: context)
        #expect(normal.contains("PORT     STATE SERVICE REASON\n"))
        #expect(Report.render(.csv, Self.store(), context: context).hasPrefix(CSVReport.header + "\n"))
    }
}
