import Foundation
import PortgridCore
import Report

/// A hand-built scan with every case the formats must handle: a named IPv4 host with TCP and UDP
/// results, a host that only -Pn put up, a named IPv6 host probed by two techniques, a down host;
/// every state, several reasons, folded states with mixed reasons, and a service with no name.
enum Fixture {
    static let a = IPAddress("198.18.0.2")!
    static let b = IPAddress("198.18.0.3")!
    static let c = IPAddress("fd00::2")!
    static let down = IPAddress("198.18.0.9")!

    /// Mon Nov 23 21:25:36 2026 UTC.
    static let start = Date(timeIntervalSince1970: 1_795_469_136)
    static let end = start.addingTimeInterval(12.345)

    static let arguments = ["portgrid", "-sT", "-p", "1-100,443,7777,8080", "--reason", "198.18.0.2-3",
                            "fd00::2", "-oX", "scan report.xml"]

    static func context(interrupted: Bool = false) -> ReportContext {
        var context = ReportContext(version: "0.1.0", arguments: arguments, start: start, end: end,
                                    interrupted: interrupted, services: .builtIn, timeZone: .utc)
        context.request = request
        context.showReasons = true
        return context
    }

    /// The request the command line above makes, with a seed (the JSON report records it).
    static let request = ScanRequest(targets: try! TargetSet(parsing: ["198.18.0.2-3", "fd00::2"]),
                                     ports: try! PortList(parsing: "1-100,443,7777,8080"), technique: .connect,
                                     seed: 18_446_744_073_709_551_557)

    static let connectPorts = PortSet([1...100, 443...443, 7777...7777, 8080...8080])
    /// The interrupted run planned more than it finished: 101-200 never got a result.
    static let interruptedConnectPorts = PortSet([1...200, 443...443, 7777...7777, 8080...8080])

    static func store(interrupted: Bool = false) -> ResultStore {
        var store = ResultStore()
        // Each event a second after the last, from the start: the hosts' scan times are fixed too.
        var now = start
        func step(_ event: ScanEvent) {
            now = now.addingTimeInterval(1)
            store.apply(event, at: now)
        }
        let timing = TimingProfile.normal
        step(.started(ScanPlan(technique: .ping, hosts: [a, down], hostnames: [a: "target.test"],
                                      ports: PortSet(), timing: timing)))
        step(.host(HostResult(address: a, status: .up, reason: .echoReply, rtt: .microseconds(120))))
        step(.host(HostResult(address: down, status: .down, reason: .noResponse)))

        step(.started(ScanPlan(technique: .connect, hosts: [a, b, c], hostnames: [c: "v6.test"],
                                      ports: interrupted ? interruptedConnectPorts : connectPorts, timing: timing)))
        var batch: [PortResult] = []
        func add(_ host: IPAddress, _ port: UInt16, _ state: PortState, _ reason: Reason,
                 _ technique: Technique = .connect, rtt: Int? = nil, ttl: UInt8? = nil) {
            batch.append(PortResult(host: host, proto: technique.transport, port: port, state: state, reason: reason,
                                    technique: technique, rtt: rtt.map { .microseconds($0) }, replyTTL: ttl))
        }
        // 198.18.0.2: three open, one refused by a firewall, one silent, the rest closed (folded).
        for port in UInt16(1)...100 where ![22, 25, 80].contains(port) { add(a, port, .closed, .connRefused, rtt: 90) }
        add(a, 22, .open, .synAck, rtt: 110)
        add(a, 80, .open, .synAck, rtt: 130)
        add(a, 443, .open, .synAck, rtt: 150)
        add(a, 25, .filtered, .adminProhibited, ttl: 63)
        add(a, 7777, .closed, .connRefused, rtt: 95)
        add(a, 8080, .filtered, .noResponse)
        // 198.18.0.3: only -Pn put it up; all of 1-100 filtered for two reasons, one unnamed open port.
        for port in UInt16(1)...60 { add(b, port, .filtered, .noResponse) }
        for port in UInt16(61)...100 { add(b, port, .filtered, .adminProhibited) }
        add(b, 443, .closed, .connRefused, rtt: 2_000)
        add(b, 7777, .open, .synAck, rtt: 2_500)
        add(b, 8080, .open, .synAck, rtt: 1_500)
        // fd00::2: connect says filtered where the ACK scan got resets, and an open port both probed.
        for port in UInt16(1)...100 where ![22, 80].contains(port) { add(c, port, .filtered, .noResponse) }
        add(c, 22, .open, .synAck, rtt: 1_000)
        add(c, 80, .closed, .connRefused, rtt: 1_200)
        add(c, 443, .closed, .connRefused, rtt: 1_100)
        add(c, 7777, .filtered, .noResponse)
        add(c, 8080, .closedFiltered, .noResponse, .syn)
        step(.results(PortResults(batch)))
        batch = []

        step(.started(ScanPlan(technique: .ack, hosts: [c], ports: PortSet([1...10, 22...22]), timing: timing)))
        for port in UInt16(1)...10 { add(c, port, .unfiltered, .reset, .ack, rtt: 900) }
        add(c, 22, .unfiltered, .reset, .ack, rtt: 950)
        step(.results(PortResults(batch)))
        batch = []

        step(.started(ScanPlan(technique: .udp, hosts: [a], ports: PortSet([53...53, 123...123, 161...161, 500...530]),
                                      timing: timing)))
        add(a, 53, .open, .udpResponse, .udp, rtt: 300)
        add(a, 123, .closed, .portUnreach, .udp, rtt: 280, ttl: 64)
        add(a, 161, .openFiltered, .noResponse, .udp)
        for port in UInt16(500)...530 { add(a, port, .openFiltered, .noResponse, .udp) }
        step(.results(PortResults(batch)))

        if !interrupted {
            step(.finished(ScanSummary(outcome: .completed, elapsed: .milliseconds(12_345), probesSent: 1_234)))
        }
        return store
    }
}
