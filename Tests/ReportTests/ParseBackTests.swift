import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PortgridCore
import Report
import Testing

/// The machine formats read back with standard parsers, and every scanned port is accounted for
/// exactly once: listed, or inside one folded count.
struct ParseBackTests {
    /// (host, proto) -> how many distinct ports have a result, straight from the store.
    static func expectedCounts(_ store: ResultStore) -> [String: Int] {
        var seen: [String: Set<UInt16>] = [:]
        for result in store.allResults { seen["\(result.host)/\(result.proto.rawValue)", default: []].insert(result.port) }
        return seen.mapValues(\.count)
    }

    @Test(arguments: [false, true])
    func jsonParsesAndCountsEveryPortOnce(interrupted: Bool) throws {
        let store = Fixture.store(interrupted: interrupted)
        let text = Report.render(.json, store, context: Fixture.context(interrupted: interrupted))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(root["scanner"] as? String == "portgrid")
        #expect(root["interrupted"] as? Bool == interrupted)
        #expect(root["args"] as? String == "portgrid -sT -p 1-100,443,7777,8080 --reason 198.18.0.2-3 fd00::2 -oX 'scan report.xml'")
        let hosts = try #require(root["hosts"] as? [[String: Any]])
        #expect(hosts.map { $0["address"] as? String } == ["198.18.0.2", "198.18.0.3", "198.18.0.9", "fd00::2"])

        var counted: [String: Int] = [:]
        var listedKeys = Set<String>()
        for host in hosts {
            let address = try #require(host["address"] as? String)
            for port in try #require(host["ports"] as? [[String: Any]]) {
                let proto = try #require(port["protocol"] as? String), number = try #require(port["port"] as? Int)
                #expect(listedKeys.insert("\(address)/\(proto)/\(number)").inserted, "port listed twice")
                counted["\(address)/\(proto)", default: 0] += 1
            }
            for extra in try #require(host["extraports"] as? [[String: Any]]) {
                let proto = try #require(extra["protocol"] as? String)
                counted["\(address)/\(proto)", default: 0] += try #require(extra["count"] as? Int)
            }
        }
        #expect(counted == Self.expectedCounts(store))
    }

    @Test func jsonStringsAreEscaped() throws {
        var store = ResultStore()
        let host = IPAddress("127.0.0.1")!
        store.apply(.started(ScanPlan(technique: .connect, hosts: [host], hostnames: [host: "we\"ird\\name\n\u{1}"],
                                      ports: PortSet(ports: [22]), timing: .normal)))
        var context = Fixture.context()
        context.arguments = ["portgrid", "-p", "22", "tab\there", "quote\"d"]
        let text = Report.render(.json, store, context: context)
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let hosts = try #require(root["hosts"] as? [[String: Any]])
        #expect(hosts.first?["hostname"] as? String == "we\"ird\\name\n\u{1}")
        #expect(root["args"] as? String == "portgrid -p 22 'tab\there' 'quote\"d'")
    }

    @Test(arguments: [false, true])
    func xmlParsesAndCountsEveryPortOnce(interrupted: Bool) throws {
        let store = Fixture.store(interrupted: interrupted)
        var context = Fixture.context(interrupted: interrupted)
        context.verbosity = 1  // down hosts are listed only with -v, as nmap lists them
        let text = Report.render(.xml, store, context: context)
        let reader = NmapXMLReader()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        #expect(parser.parse(), "XML did not parse: \(String(describing: parser.parserError))")
        #expect(reader.scanner == "portgrid")
        #expect(reader.addresses == ["198.18.0.2": "ipv4", "198.18.0.3": "ipv4", "198.18.0.9": "ipv4", "fd00::2": "ipv6"])
        #expect(reader.exit == (interrupted ? "error" : "success"))
        #expect(reader.errorMessage == (interrupted ? "interrupted" : nil))
        #expect(reader.counts == Self.expectedCounts(store))
        #expect(reader.states["198.18.0.3/tcp/7777"] == "open")
        #expect(reader.services["198.18.0.3/tcp/7777"] == nil, "nmap writes no service element for a port it cannot name")
        #expect(reader.services["198.18.0.2/tcp/22"] == "ssh")
        #expect(reader.states["fd00::2/tcp/8080"] == "closed|filtered")
        #expect(reader.args?.contains("--reason") == true)
        #expect(reader.hostsTotal == 4 && reader.hostsUp == 3)
    }
}

/// Collects what ndiff and libnmap read from nmap XML: addresses, ports, states, services, and
/// the extraports counts (per protocol, from extrareasons).
final class NmapXMLReader: NSObject, XMLParserDelegate {
    var scanner: String?
    var args: String?
    var addresses: [String: String] = [:]
    var counts: [String: Int] = [:]
    var states: [String: String] = [:]
    var services: [String: String] = [:]
    var exit: String?
    var errorMessage: String?
    var hostsUp = 0, hostsTotal = 0
    private var address = ""
    private var port = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        switch name {
        case "nmaprun":
            scanner = attributes["scanner"]
            args = attributes["args"]
        case "address":
            address = attributes["addr"] ?? ""
            addresses[address] = attributes["addrtype"]
        case "extrareasons":
            counts["\(address)/\(attributes["proto"] ?? "")", default: 0] += Int(attributes["count"] ?? "") ?? 0
        case "port":
            let proto = attributes["protocol"] ?? ""
            port = "\(address)/\(proto)/\(attributes["portid"] ?? "")"
            counts["\(address)/\(proto)", default: 0] += 1
        case "state":
            states[port] = attributes["state"]
        case "service":
            services[port] = attributes["name"]
        case "finished":
            exit = attributes["exit"]
            errorMessage = attributes["errormsg"]
        case "hosts":
            hostsUp = Int(attributes["up"] ?? "") ?? 0
            hostsTotal = Int(attributes["total"] ?? "") ?? 0
        default:
            break
        }
    }
}
