import Foundation
import Packets
import PortgridCore
import Synchronization
import Testing
@testable import ScanEngine

/// A simulated network behind `RawPacketIO`, on a manual clock: hosts answer probes as their
/// ports are configured (open, closed, dropped, rejected with an ICMP code, UDP services),
/// through a Linux-like ICMP error limiter, with seeded probe loss. `wait` moves the clock to the
/// next reply or the deadline instead of sleeping, so a scan of minutes runs in milliseconds.
final class RawFakeNetwork: RawPacketIO, @unchecked Sendable {
    enum Port: Hashable {
        case open, closed, drop
        /// An ICMP destination unreachable with `code`, from the host itself or from `router`.
        case reject(code: UInt8, router: UInt32? = nil)
        /// UDP: a service that answers; a bound socket that says nothing.
        case udpAnswers, udpSilent
        /// TCP: the first probe is lost on the way, later ones find the port closed.
        case closedAfterALoss
    }

    /// A token bucket like Linux's per-peer ICMP limiter (icmp_ratelimit: one per second, burst 6).
    struct Limiter {
        var rate: Double
        var burst: Double
        var tokens: Double
        var last: ContinuousClock.Instant?

        init(rate: Double, burst: Double) {
            self.rate = rate
            self.burst = burst
            tokens = burst
        }

        mutating func allow(_ now: ContinuousClock.Instant) -> Bool {
            if let last { tokens = min(burst, tokens + (now - last).inSeconds * rate) }
            last = now
            guard tokens >= 1 else { return false }
            tokens -= 1
            return true
        }
    }

    struct Host {
        var ports: [UInt16: Port] = [:]
        /// What ports not listed do: a closed TCP port answers RST, a closed UDP port port-unreachable.
        var otherPorts: Port = .closed
        var answersPing = true
        var rtt: Duration = .milliseconds(2)
        var limiter: Limiter?
    }

    let base = ContinuousClock.now
    private(set) var clock: ContinuousClock.Instant
    var hosts: [UInt32: Host]
    /// Probability that a probe is lost on the way (seeded, so runs repeat exactly).
    var loss: Double
    private var random: SplitMixRandom
    private var inbound: [(at: ContinuousClock.Instant, bytes: [UInt8])] = []
    /// Probes that reached each (host, port) so far.
    private var arrivals: [UInt64: Int] = [:]
    private(set) var sent: [(at: ContinuousClock.Instant, bytes: [UInt8])] = []
    /// Called after every send batch (tests cancel or pause the scan from here).
    var afterSend: ((RawFakeNetwork) -> Void)?
    /// Called on every wait (tests resume a paused scan from here).
    var onWait: ((RawFakeNetwork) -> Void)?
    /// Set when the engine waited thousands of times in a row without the clock moving and without
    /// sending or receiving: a busy loop (which on a real clock burns a core).
    private(set) var spun = false
    private var idleWaits = 0

    init(hosts: [UInt32: Host], loss: Double = 0, seed: UInt64 = 1) {
        clock = base
        self.hosts = hosts
        self.loss = loss
        random = SplitMixRandom(state: seed)
    }

    var now: ContinuousClock.Instant { clock }
    var elapsed: Duration { clock - base }

    func send(_ packets: PacketBatch, _ range: Range<Int>) throws(ScanError) -> SendReport {
        for index in range {
            let bytes = packets.packet(index)
            sent.append((clock, bytes))
            if loss > 0 && Double.random(in: 0..<1, using: &random) < loss { continue }
            answer(bytes)
        }
        afterSend?(self)
        idleWaits = 0
        return SendReport(consumed: range.count)
    }

    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(ScanError) -> Int {
        inbound.sort { $0.at < $1.at }
        var count = 0
        while count < limit, let first = inbound.first, first.at <= clock {
            inbound.removeFirst()
            first.bytes.withUnsafeBytes { handle($0) }
            count += 1
        }
        if count > 0 { idleWaits = 0 }
        return count
    }

    func wait(until deadline: ContinuousClock.Instant) throws(ScanError) {
        onWait?(self)
        let next = inbound.map(\.at).min()
        let target = next.map { min($0, deadline) } ?? deadline
        if target <= clock + .microseconds(1) {
            idleWaits += 1
            if idleWaits > 10_000 {
                // Break the loop so the test ends (and fails on `spun`) instead of hanging.
                spun = true
                clock = clock + .milliseconds(1)
            }
        } else {
            idleWaits = 0
        }
        clock = max(clock, target)
    }

    /// Probes sent to `port` (any host).
    func probes(to port: UInt16) -> Int {
        sent.filter { entry in
            switch RawReplyFactory.parse(entry.bytes) {
            case .tcp(_, let tcp): tcp.destinationPort == port
            case .udp(_, let udp, _): udp.destinationPort == port
            default: false
            }
        }.count
    }

    private func answer(_ probe: [UInt8]) {
        let packet = RawReplyFactory.parse(probe)
        guard var host = hosts[packet.ip.destination] else { return }
        defer { hosts[packet.ip.destination] = host }
        let arrival = clock + host.rtt
        func reply(_ bytes: [UInt8]) { inbound.append((arrival, bytes)) }
        func icmp(_ code: UInt8, router: UInt32?) {
            // The limiter counts at the moment the probe reaches the host.
            if router == nil, var limiter = host.limiter {
                let allowed = limiter.allow(clock + host.rtt / 2)
                host.limiter = limiter
                guard allowed else { return }
            }
            reply(RawReplyFactory.unreachable(code, to: probe, from: router))
        }
        switch packet {
        case .tcp(_, let tcp):
            let key = UInt64(packet.ip.destination) << 16 | UInt64(tcp.destinationPort)
            arrivals[key, default: 0] += 1
            switch host.ports[tcp.destinationPort] ?? host.otherPorts {
            case .open:
                if tcp.flags == .syn { reply(RawReplyFactory.synAck(to: probe)) }
                else if tcp.flags.contains(.ack) { reply(RawReplyFactory.reset(to: probe)) }
                // FIN, NULL, Xmas to an open port: RFC 793 says drop it silently.
            case .closed: reply(RawReplyFactory.reset(to: probe))
            case .closedAfterALoss: if arrivals[key, default: 0] > 1 { reply(RawReplyFactory.reset(to: probe)) }
            case .reject(let code, let router): icmp(code, router: router)
            case .drop, .udpAnswers, .udpSilent: break
            }
        case .udp(_, let udp, _):
            switch host.ports[udp.destinationPort] ?? host.otherPorts {
            case .udpAnswers, .open: reply(RawReplyFactory.udpReply(to: probe))
            case .closed: icmp(3, router: nil)
            case .reject(let code, let router): icmp(code, router: router)
            case .drop, .udpSilent, .closedAfterALoss: break
            }
        case .icmp(_, .echoRequest):
            if host.answersPing { reply(RawReplyFactory.echoReply(to: probe)) }
        default:
            break
        }
    }
}

/// A seeded generator for the fake network's loss.
struct SplitMixRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 { SplitMix64.next(&state) }
}

/// Runs the raw engine to its end on a fake network, on its own thread, and collects its events.
struct RawEngineRun {
    var events: [ScanEvent] = []
    var error: ScanError?
    var upHosts: Set<Int> = []
    var probesSent = 0

    var results: [PortResult] {
        var all: [PortResult] = []
        for case .results(let batch) in events { all += batch }
        return all
    }
    var hosts: [HostResult] {
        events.flatMap { event -> [HostResult] in
            switch event {
            case .host(let host): [host]
            case .hosts(let hosts): hosts
            case .hostsDown(let down): Array(down.hosts)
            default: []
            }
        }
    }
    var progress: [ScanProgress] { events.compactMap { if case .progress(let p) = $0 { p } else { nil } } }

    func state(_ port: UInt16, host: UInt32 = RawReplyFactory.target) -> (PortState, Reason)? {
        results.first { $0.port == port && $0.host == .v4(IPv4Address(host)) }.map { ($0.state, $0.reason) }
    }

    static func timing(level: Int = 4, maxRate: Double? = nil, retries: Int? = nil) -> TimingProfile {
        var timing = TimingProfile.template(level)
        timing.maxRate = maxRate
        if let retries { timing.maxRetries = retries }
        return timing
    }

    static func run(_ kind: RawJob.Kind, hosts: [UInt32] = [RawReplyFactory.target], ports: PortSet = PortSet(),
                    on network: RawFakeNetwork, timing: TimingProfile = timing(), control: ScanControl? = nil,
                    seed: UInt64 = 11) async -> RawEngineRun {
        let control = control ?? ScanControl(timing: timing)
        let (stream, continuation) = AsyncStream.makeStream(of: ScanEvent.self, bufferingPolicy: .unbounded)
        let sink = EventSink(continuation, maxBatch: 64)
        let cookie = ProbeCookie(seed: seed, ports: SourcePortRange(lowerBound: 61000, count: 4536))
        let job = RawJob(kind: kind, hosts: hosts, sources: HostSources(same: RawReplyFactory.scanner), ports: ports,
                         seed: seed)
        let countsHosts = kind == .discovery
        let outcome: (ScanError?, Set<Int>) = await withCheckedContinuation { done in
            let thread = Thread {
                let reporter = RawOutcomeReporter(sink: sink, job: job, reportDown: true, countsHosts: countsHosts)
                let engine = RawProbeEngine(job: job, io: network, control: control, sink: sink, reporter: reporter,
                                            cookie: cookie, progressTotal: kind == .discovery ? hosts.count
                                                : hosts.count * ports.count)
                do throws(ScanError) {
                    try engine.run()
                    done.resume(returning: (nil, engine.upHosts))
                } catch {
                    done.resume(returning: (error, engine.upHosts))
                }
            }
            thread.stackSize = 1 << 22
            thread.start()
        }
        #expect(!network.spun, "the engine busy-looped: waited again and again with nothing due")
        var run = RawEngineRun()
        (run.error, run.upHosts) = outcome
        run.probesSent = sink.probesSent
        sink.finish(ScanSummary(outcome: .completed, elapsed: .zero, probesSent: sink.probesSent))
        for await event in stream { run.events.append(event) }
        return run
    }
}
