import Foundation
import PortgridCore

/// A portgrid JSON report (`-oJ`, issue 2's schema) as the tests read it: per host, the listed ports
/// and the `extraports` counts that fold the host's most common state.
struct TestbedReport: Sendable {
    var hosts: [TestbedHostReport]

    func host(_ address: String) -> TestbedHostReport? { hosts.first { $0.address == address } }

    /// Addresses the report says are up.
    var upHosts: Set<String> { Set(hosts.filter { $0.status == "up" }.map(\.address)) }

    static func parse(_ text: String) throws(TestbedError) -> TestbedReport {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(text.utf8))
        } catch {
            throw .reportUnreadable("not JSON: \(error)", text: text)
        }
        guard let document = root as? [String: Any], document["scanner"] as? String == "portgrid" else {
            throw .reportUnreadable("no {\"scanner\":\"portgrid\"} object", text: text)
        }
        guard let hosts = document["hosts"] as? [[String: Any]] else {
            throw .reportUnreadable("no hosts array", text: text)
        }
        var parsed: [TestbedHostReport] = []
        for host in hosts { parsed.append(try TestbedHostReport(host, text: text)) }
        return TestbedReport(hosts: parsed)
    }
}

struct TestbedHostReport: Sendable {
    var address: String
    var status: String
    var reason: String
    /// The host's round trip as the report gives it, nil where it has none.
    var rttMilliseconds: Double?
    var ports: [TestbedPortKey: ListedPort]
    var extraports: [FoldedPorts]

    struct ListedPort: Hashable, Sendable {
        var state: PortState
        var reason: Reason
        var technique: String
    }

    /// `{"protocol":"tcp","state":"closed","count":64427,"reason":"conn-refused"}`
    struct FoldedPorts: Hashable, Sendable {
        var proto: TransportProtocol
        var state: PortState
        var reason: Reason?
        var count: Int
    }

    init(_ json: [String: Any], text: String) throws(TestbedError) {
        guard let address = json["address"] as? String else { throw .reportUnreadable("a host without address", text: text) }
        self.address = address
        status = json["status"] as? String ?? ""
        reason = json["reason"] as? String ?? ""
        rttMilliseconds = (json["rtt_ms"] as? NSNumber)?.doubleValue
        ports = [:]
        for port in json["ports"] as? [[String: Any]] ?? [] {
            guard let proto = (port["protocol"] as? String).flatMap(TransportProtocol.init(rawValue:)),
                  let number = (port["port"] as? Int).flatMap(UInt16.init(exactly:)),
                  let state = (port["state"] as? String).flatMap(PortState.init(rawValue:)),
                  let reason = (port["reason"] as? String).flatMap(Reason.init(rawValue:)) else {
                throw .reportUnreadable("a port entry of \(address) is malformed: \(port)", text: text)
            }
            let key = TestbedPortKey(proto: proto, port: number)
            guard ports[key] == nil else { throw .reportUnreadable("\(key) of \(address) listed twice", text: text) }
            ports[key] = ListedPort(state: state, reason: reason, technique: port["technique"] as? String ?? "")
        }
        extraports = []
        for extra in json["extraports"] as? [[String: Any]] ?? [] {
            guard let proto = (extra["protocol"] as? String).flatMap(TransportProtocol.init(rawValue:)),
                  let state = (extra["state"] as? String).flatMap(PortState.init(rawValue:)),
                  let count = extra["count"] as? Int else {
                throw .reportUnreadable("an extraports entry of \(address) is malformed: \(extra)", text: text)
            }
            extraports.append(FoldedPorts(proto: proto, state: state,
                                          reason: (extra["reason"] as? String).flatMap(Reason.init(rawValue:)),
                                          count: count))
        }
    }
}
