import Foundation
import Glibc
import PortgridCore
import Testing
@testable import ScanEngine

/// Real raw scans of 127.0.0.1 through the public front door, as root. Only loopback is contacted.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root for raw sockets"))
struct RawLoopbackTests {
    struct Collected {
        var results: [PortResult] = []
        var hosts: [HostResult] = []
        var notices: [Notice] = []
        var summary: ScanSummary?
        var progress: [ScanProgress] = []
        var traces: [String] = []
        /// Each `.hostgroupDone`'s hosts, in order.
        var hostgroups: [HostList] = []
    }

    static func collect(_ stream: AsyncStream<ScanEvent>) async -> Collected {
        var collected = Collected()
        for await event in stream {
            switch event {
            case .results(let batch): collected.results += batch
            case .host(let host): collected.hosts.append(host)
            case .hosts(let hosts): collected.hosts += hosts
            case .hostsDown(let down): collected.hosts += down.hosts
            case .notice(let notice): collected.notices.append(notice)
            case .finished(let summary): collected.summary = summary
            case .progress(let progress): collected.progress.append(progress)
            case .trace(let line): collected.traces.append(line)
            case .hostgroupDone(let hosts): collected.hostgroups.append(hosts)
            case .started: break
            }
        }
        return collected
    }

    static func request(_ technique: Technique, tcp: PortSet = PortSet(), udp: PortSet = PortSet(),
                        timing: TimingProfile = .template(4)) throws -> ScanRequest {
        ScanRequest(targets: try TargetSet(parsing: ["127.0.0.1"]), ports: PortList(tcp: tcp, udp: udp),
                    technique: technique, timing: timing, skipDiscovery: true, seed: 7)
    }

    /// TCP ports in LISTEN on 127.0.0.1 or any address, from /proc/net/tcp.
    /// A blocking connect to 127.0.0.1:port: true when something there accepts.
    static func acceptsConnections(port: UInt16) -> Bool {
        let descriptor = Glibc.socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    static func listeningTCPPorts() -> Set<UInt16> {
        guard let table = try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8) else { return [] }
        var ports = Set<UInt16>()
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[3] == "0A" else { continue }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, local[0] == "0100007F" || local[0] == "00000000",
                  let port = UInt16(local[1], radix: 16) else { continue }
            ports.insert(port)
        }
        return ports
    }

    @Test func synScanFindsListenersOpenAndTheRestClosed() async throws {
        let open = try (0..<3).map { _ in try LoopbackListener(listening: true) }
        let closed = try (0..<3).map { _ in try LoopbackListener(listening: false) }
        let ports = PortSet(ports: (open + closed).map(\.port))
        let scan = await Self.collect(Scanner().run(try Self.request(.syn, tcp: ports)))
        #expect(scan.summary?.outcome == .completed, "\(scan.notices)")
        #expect(scan.results.count == 6)
        for listener in open {
            let result = scan.results.first { $0.port == listener.port }
            #expect(result?.state == .open)
            #expect(result?.reason == .synAck)
            #expect(result?.technique == .syn)
        }
        for listener in closed {
            let result = scan.results.first { $0.port == listener.port }
            #expect(result?.state == .closed)
            #expect(result?.reason == .reset)
        }
    }
}

extension RawLoopbackTests {
    @Test func udpScanTellsAnsweringSilentAndClosedPortsApart() async throws {
        let answering = try RawUDPResponder(answering: true)
        defer { answering.stop() }
        let silent = try RawUDPResponder(answering: false)
        let closed = try (0..<3).map { _ in try RawUDPResponder.unusedPort() }
        let ports = PortSet(ports: [answering.port, silent.port] + closed)
        let scan = await Self.collect(Scanner().run(try Self.request(.udp, udp: ports)))
        #expect(scan.summary?.outcome == .completed, "\(scan.notices)")
        #expect(scan.results.count == 5)
        let byPort = Dictionary(uniqueKeysWithValues: scan.results.map { ($0.port, $0) })
        #expect(byPort[answering.port]?.state == .open)
        #expect(byPort[answering.port]?.reason == .udpResponse)
        #expect(byPort[silent.port]?.state == .openFiltered)
        #expect(byPort[silent.port]?.reason == .noResponse)
        for port in closed {
            #expect(byPort[port]?.state == .closed)
            #expect(byPort[port]?.reason == .portUnreach)
        }
        #expect(scan.results.allSatisfy { $0.technique == .udp && $0.proto == .udp })
    }

    @Test func aReplyTooBigForAReceiveSlotStillCounts() async throws {
        // 9,000 bytes: one datagram on loopback, four times a receive slot; only its headers matter.
        let big = try RawUDPResponder(answering: true, replySize: 9000)
        defer { big.stop() }
        let scan = await Self.collect(Scanner().run(try Self.request(.udp, udp: PortSet(ports: [big.port]))))
        #expect(scan.results.first?.state == .open)
        #expect(scan.results.first?.reason == .udpResponse)
    }

    @Test func synScanOfEveryPortIsFastAndComplete() async throws {
        let listener = try LoopbackListener(listening: true)
        let bound = try LoopbackListener(listening: false)
        let started = ContinuousClock.now
        let scan = await Self.collect(Scanner().run(try Self.request(.syn, tcp: .all)))
        let elapsed = ContinuousClock.now - started
        #expect(scan.summary?.outcome == .completed, "\(scan.notices)")
        #expect(scan.results.count == 65_535)
        #expect(Set(scan.results.map(\.port)).count == 65_535)
        #expect(scan.results.first { $0.port == listener.port }?.state == .open)
        #expect(scan.results.first { $0.port == bound.port }?.state == .closed)
        // Loopback answers every port; the only open ones are listeners (ours, and whatever else
        // listens on this machine).
        // Other tests run in parallel and open short-lived listeners on ephemeral ports (32768-60999)
        // that may be gone before /proc is read; there only a definite state is required. Exact
        // no-false-open over -p- is asserted on the isolated namespace testbed (IntegrationTests).
        let listening = Self.listeningTCPPorts()
        let ephemeral: ClosedRange<UInt16> = 32768...60999
        // A port /proc did not list is asked directly: a connect that succeeds now is a listener
        // of this machine's, whatever /proc showed this thread.
        let wrong = scan.results.filter { result in
            switch result.state {
            case .open: !listening.contains(result.port) && !ephemeral.contains(result.port)
                && !Self.acceptsConnections(port: result.port)
            case .closed: false
            default: true
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let probes = scan.summary?.probesSent ?? 0
        print("raw SYN -p- on 127.0.0.1: \(elapsed), \(probes) probes, \(Int(Double(probes) / seconds)) probes/s")
    }
}
