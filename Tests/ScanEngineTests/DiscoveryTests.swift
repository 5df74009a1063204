import Foundation
import Glibc
import PortgridCore
import Synchronization
import Testing
@testable import ScanEngine

/// Host discovery paths that run for real: this machine's own addresses, the unprivileged TCP
/// connect fallback on loopback, and the unprivileged ICMP socket inside a network namespace this
/// test creates (where it may allow ping sockets without touching the host's settings).
@Suite(.serialized) struct DiscoveryTests {
    struct Collected {
        var hosts: [HostResult] = []
        var probesSent = 0
        var completed = 0
    }

    /// Runs blocking engine code on its own thread (as the scanner does), never on a test pool thread.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            Thread { done.resume(with: Result { try body() }) }.start()
        }
    }

    static func sweep(_ hosts: [IPAddress], technique: Technique = .ping) async throws -> Collected {
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation)
        let plan = ScanPlan(technique: technique, hosts: HostList(hosts), ports: PortSet(), timing: .template(4))
        _ = try await blocking {
            try HostDiscovery.sweep(plan: plan, control: ScanControl(timing: plan.timing), sink: sink, reportDown: true)
        }
        var collected = Collected(probesSent: sink.probesSent, completed: sink.completedCount)
        sink.finish(ScanSummary(outcome: .completed, elapsed: .zero, probesSent: sink.probesSent))
        for await event in stream {
            if case .host(let host) = event { collected.hosts.append(host) }
            if case .hosts(let hosts) = event { collected.hosts += hosts }
            if case .hostsDown(let down) = event { collected.hosts += down.hosts }
        }
        return collected
    }

    @Test("a sweep's probes are IP packets unless --send-eth asks for frames; --send-ip keeps them IP")
    func sweepsSendIPPacketsUnlessAskedForFrames() {
        #expect(HostDiscovery.linkLayer(.automatic) == .ip)
        #expect(HostDiscovery.linkLayer(.ethernet) == .ethernet)
        #expect(HostDiscovery.linkLayer(.ip) == .ip)
    }

    @Test func loopbackAndOwnAddressesAreUpWithoutAProbe() async throws {
        let own = ((try? RawSyscalls.interfaceIPv4Addresses()) ?? []).filter { $0 >> 24 != 127 }.prefix(2)
        let hosts: [IPAddress] = [IPAddress("127.0.0.1")!, IPAddress("127.0.0.9")!, IPAddress("::1")!]
            + own.map { .v4(IPv4Address($0)) }
        let sweep = try await Self.sweep(hosts)
        #expect(sweep.probesSent == 0)
        #expect(sweep.hosts.count == hosts.count)
        #expect(sweep.hosts.allSatisfy { $0.status == .up && $0.reason == .localhostResponse })
        #expect(sweep.completed == hosts.count)
    }

    @Test func beforeAPortScanTheSweepLeavesProgressAlone() async throws {
        let sweep = try await Self.sweep([IPAddress("127.0.0.1")!], technique: .syn)
        #expect(sweep.hosts.first?.status == .up)
        #expect(sweep.completed == 0)
    }

    /// The fallback with no privileges at all: TCP connects to 80 and 443. On loopback every
    /// address answers: a listener accepts, anything else refuses, and both prove the host up.
    @Test func connectPingFindsHostsThatAcceptOrRefuse() async throws {
        // A loopback /24 of this run's own (127.64-250.x.0): a fixed address once met another
        // parallel test's socket on it (EADDRINUSE).
        let base = UInt32(0x7F00_0000) | UInt32.random(in: 0x4000...0xFAFF) << 8
        let listener = try PrivateLoopbackListener(address: base | 1, port: 443)
        defer { listener.close() }
        let hosts = [IPAddress.v4(IPv4Address(base | 1)), IPAddress.v4(IPv4Address(base | 2))]
        let plan = ScanPlan(technique: .ping, hosts: HostList(hosts), ports: PortSet(), timing: .template(4))
        let (_, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation)
        let found = try await Self.blocking {
            try ConnectPing.sweep(hosts: hosts, plan: plan, control: ScanControl(timing: plan.timing), sink: sink, seed: 3)
        }
        #expect(found[hosts[0]]?.reason == .synAck)
        #expect(found[hosts[1]]?.reason == .connRefused)
        #expect(sink.probesSent >= 4)
        sink.finish(ScanSummary(outcome: .completed, elapsed: .zero, probesSent: 0))
    }

    @Test(.enabled(if: getuid() == 0 && TestNamespace.available, "needs root and iproute2 for a network namespace"))
    func unprivilegedICMPSocketPingsInsideANamespace() async throws {
        let namespace = try TestNamespace()
        defer { namespace.remove() }
        try namespace.run(["sysctl", "-q", "-w", "net.ipv4.ping_group_range=0 2147483647"])
        let outcome: Result<(Set<Int>, Int), Error> = await namespace.onThreadInside {
            let cookie = ProbeCookie(seed: 4, ports: SourcePortRange(lowerBound: 61000, count: 4536))
            let io = try ICMPDatagramIO(echoIdentifier: cookie.echoIdentifier)
            var job = RawJob(kind: .discovery, hosts: [0x7F00_0001, 0x7F00_0002], sources: [0, 0], ports: PortSet(),
                             seed: 4)
            job.discoveryProbes = [(.icmpEcho, 0)]
            let (_, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
            let sink = EventSink(continuation)
            let reporter = RawOutcomeReporter(sink: sink, job: job, countsHosts: true)
            let engine = RawProbeEngine(job: job, io: io, control: ScanControl(timing: .template(4)), sink: sink,
                                        reporter: reporter, cookie: cookie, progressTotal: 2)
            try engine.run()
            return (engine.upHosts, sink.probesSent)
        }
        let (up, probes) = try outcome.get()
        #expect(up == [0, 1])
        #expect(probes == 2)
    }

    @Test func theDatagramSocketOnlySendsEchoRequests() throws {
        guard let io = try? ICMPDatagramIO(echoIdentifier: 1) else { return }  // not allowed here: nothing to check
        let syn = RawProbeBuilder(cookie: ProbeCookie(seed: 1, ports: SourcePortRange(lowerBound: 61000, count: 4536)))
            .packet(.tcp(.syn), source: 0x7F00_0001, destination: 0x7F00_0001, port: 443, tryNumber: 0)
        let report = try io.send(PacketBatch([(syn, 0x7F00_0001)]), 0..<1)
        #expect(report.consumed == 1 && report.refused == 1)
    }
}

/// A TCP listener on a private 127/8 address, where no other test's sockets can be.
final class PrivateLoopbackListener {
    let descriptor: CInt

    init(address: UInt32, port: UInt16) throws {
        descriptor = socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        var on: CInt = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<CInt>.size))
        var raw = sockaddr_in()
        raw.sin_family = sa_family_t(AF_INET)
        raw.sin_port = port.bigEndian
        raw.sin_addr = in_addr(s_addr: address.bigEndian)
        let bound = withUnsafePointer(to: &raw) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw RawUDPResponder.Failure(call: "bind/listen", errno: code)
        }
    }

    func close() { Glibc.close(descriptor) }
}

/// A network namespace of this test's own (only loopback, brought up), removed on every path by
/// the caller's `defer`. Code runs inside it on a thread that joined it with setns, which Glibc
/// does not export to Swift, hence the lookup.
final class TestNamespace {
    let name: String

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
        || FileManager.default.isExecutableFile(atPath: "/sbin/ip") }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init() throws {
        name = "pg-rawdisc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try Self.ip(["netns", "add", name])
        do {
            try Self.ip(["-n", name, "link", "set", "lo", "up"])
        } catch {
            remove()
            throw error
        }
    }

    func remove() { try? Self.ip(["netns", "del", name]) }

    func run(_ command: [String]) throws { try Self.ip(["netns", "exec", name] + command) }

    static func ip(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/usr/sbin/ip")
                                    ? "/usr/sbin/ip" : "/sbin/ip")
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "ip \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
    }

    /// Runs `body` on a new thread that has joined this namespace, and waits for it.
    func onThreadInside<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async -> Result<T, Error> {
        let path = "/var/run/netns/\(name)"
        return await withCheckedContinuation { done in
            Thread {
                typealias SetNS = @convention(c) (CInt, CInt) -> CInt
                let cloneNewNet: CInt = 0x4000_0000
                let fd = open(path, O_RDONLY)
                guard fd >= 0, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else {
                    done.resume(returning: .failure(Failure(description: "cannot open \(path)")))
                    return
                }
                defer { Glibc.close(fd) }
                guard unsafeBitCast(symbol, to: SetNS.self)(fd, cloneNewNet) == 0 else {
                    done.resume(returning: .failure(Failure(description: "setns failed: errno \(errno)")))
                    return
                }
                // This thread ends here, inside the namespace; nothing else ever runs on it.
                done.resume(returning: Result { try body() })
            }.start()
        }
    }
}
