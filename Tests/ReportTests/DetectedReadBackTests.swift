import Foundation
import PortgridCore
import Report
import Testing

/// What `-sV` learned rides in the JSON report and comes back whole: `portgrid merge` of `-sV` shards
/// keeps each port's service, product, version, certificate and banner, and `portgrid view` shows them.
struct DetectedReadBackTests {
    static let host = IPAddress("198.18.0.2")!

    /// Every byte value, escapes and backslashes included: the banner must come back as these bytes.
    static let banner: [UInt8] = Array(0...255) + Array("\\x41 \\\\ \\r".utf8) + [0x1B, 0x5B, 0x33, 0x31, 0x6D]

    static let learned: [ServiceKey: ServiceIdentity] = [
        ServiceKey(host: host, proto: .tcp, port: 22): ServiceIdentity(
            name: "ssh", product: "OpenSSH", version: "9.2p1 Debian 2+deb12u3", extraInfo: "protocol 2.0",
            cpes: ["cpe:/a:openbsd:openssh:9.2p1", "cpe:/o:linux:linux_kernel"], banner: banner),
        ServiceKey(host: host, proto: .tcp, port: 443): ServiceIdentity(
            name: "http", product: "nginx", version: "1.22.1", tunnelSSL: true,
            tls: TLSDetails(protocolVersion: "TLSv1.3", subject: "CN=target.test", issuer: "CN=test CA",
                            subjectAltNames: ["target.test", "198.18.0.2"], notAfter: "2027-12-01T00:00:00Z"),
            banner: Array("HTTP/1.1 400 Bad Request\r\n".utf8)),
        ServiceKey(host: host, proto: .tcp, port: 8080): ServiceIdentity(name: "http-proxy", method: .table, confidence: 3),
    ]

    static func report(_ learned: [ServiceKey: ServiceIdentity]?) -> (store: ResultStore, context: ReportContext) {
        let request = ScanRequest(targets: try! TargetSet(parsing: ["198.18.0.2"]), ports: try! PortList(parsing: "22,443,8080,9000"),
                                  technique: .connect, skipDiscovery: true, seed: 9)
        var store = ResultStore()
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host], ports: request.portSet, timing: request.timing)))
        store.apply(.results(PortResults([22, 443, 8080, 9000].map {
            PortResult(host: host, proto: .tcp, port: $0, state: .open, reason: .synAck, technique: .connect)
        })))
        var context = ReportContext(version: "0.1.0", arguments: ["portgrid"], start: Date(timeIntervalSince1970: 0),
                                    end: Date(timeIntervalSince1970: 1), interrupted: false, services: .builtIn)
        context.request = request
        context.detected = learned
        return (store, context)
    }

    @Test("a -sV report read back gives every port's identity, the banner byte for byte, and writes the same JSON again")
    func detectedReadsBack() throws {
        let (store, context) = Self.report(Self.learned)
        let json = Report.render(.json, store, context: context)
        let stored = try JSONReportReader.read(Data(json.utf8), source: "sv.json")
        #expect(stored.detected == Self.learned)
        let merged = try ReportMerge.merge([stored])
        #expect(merged.detected == Self.learned)
        var again = context
        again.detected = merged.detected
        #expect(Report.render(.json, merged.store, context: again) == json)
        #expect(Report.render(.normal, merged.store, context: again) == Report.render(.normal, store, context: context))
    }

    @Test("an XML report read back gives what nmap's XML holds of each probed port: service, product, version, CPEs, tunnel")
    func detectedReadsBackFromXML() throws {
        let (store, context) = Self.report(Self.learned)
        let xml = Report.render(.xml, store, context: context)
        let stored = try XMLReportReader.read(Data(xml.utf8), source: "sv.xml")
        // nmap's XML has no banner or certificate, and a table name is not a finding.
        var expected = Self.learned.filter { $0.value.method == .probed }
        for key in expected.keys { expected[key]?.banner = []; expected[key]?.tls = nil }
        #expect(stored.detected == expected)
        var again = context
        again.detected = try ReportMerge.merge([stored]).detected
        #expect(Report.render(.normal, store, context: again).contains("OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)"))
        let (plainStore, plainContext) = Self.report(nil)
        let plain = try XMLReportReader.read(Data(Report.render(.xml, plainStore, context: plainContext).utf8), source: "plain.xml")
        #expect(plain.detected == nil)
    }

    @Test("a report of a scan without -sV reads back with no detection at all")
    func withoutDetection() throws {
        let (store, context) = Self.report(nil)
        let stored = try JSONReportReader.read(Data(Report.render(.json, store, context: context).utf8), source: "plain.json")
        #expect(stored.detected == nil)
        #expect(try ReportMerge.merge([stored]).detected == nil)
    }

    @Test("the escape written for a banner undoes to its bytes, and a stray backslash stays as typed")
    func escapeUndoes() {
        let all = Array(UInt8(0)...UInt8(255))
        #expect(Escape.bytes(visible: Escape.visible(bytes: all)) == all)
        #expect(Escape.bytes(visible: #"a\qb\x4"#) == Array(#"a\qb\x4"#.utf8))
    }
}
