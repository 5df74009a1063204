import PortgridCore
import Testing
@testable import ScanEngine

/// `-r`, `--min-parallelism` and `-PS`/`-PA` where the engine reads them.
@Suite struct EngineFlagTests {
    let t0 = ContinuousClock.now

    @Test("-r: a connect scan takes each host's ports in order, hosts side by side")
    func connectSequential() {
        let hosts = [IPAddress("198.18.0.2")!, IPAddress("198.18.0.3")!]
        var plan = ScanPlan(technique: .connect, hosts: HostList(hosts), ports: PortSet([20...24]), timing: .template(4))
        plan.sequential = true
        var s = ConnectScheduler(plan: plan, seed: 3, walk: ProbeCursor(count: UInt64(plan.totalWork)), share: .whole,
                                 fileLimit: 4096, now: t0)
        var order: [String] = []
        while let probe = s.nextProbe(now: t0) {
            order.append("\(probe.host):\(probe.port)")
            _ = s.launched(probe, slot: SocketDescriptor(rawValue: 10), result: .failed(.connectionRefused, icmp: nil), now: t0)
        }
        #expect(order == ["0:20", "1:20", "0:21", "1:21", "0:22", "1:22", "0:23", "1:23", "0:24", "1:24"])
        plan.sequential = false
        var random = ConnectScheduler(plan: plan, seed: 3, walk: ProbeCursor(count: UInt64(plan.totalWork)),
                                      share: .whole, fileLimit: 4096, now: t0)
        var shuffled: [String] = []
        while let probe = random.nextProbe(now: t0) {
            shuffled.append("\(probe.host):\(probe.port)")
            _ = random.launched(probe, slot: SocketDescriptor(rawValue: 10), result: .failed(.connectionRefused, icmp: nil),
                                now: t0)
        }
        #expect(shuffled != order && Set(shuffled) == Set(order))
    }

    @Test("-r: a raw scan's passes walk the ports in order")
    func passesSequential() {
        var scheduler = PassScheduler(hostCount: 2, itemCount: 3, maxRetries: 0, seed: 1, sequential: true)
        var items: [String] = []
        while let probe = scheduler.nextProbe() { items.append("\(probe.host):\(probe.item)") }
        #expect(items == ["0:0", "1:0", "0:1", "1:1", "0:2", "1:2"])
    }

    @Test("--min-parallelism keeps the congestion window from halving below it")
    func minParallelism() {
        var window = ProbeWindow(fileLimit: 4096, maxParallelism: nil, minParallelism: 200)
        for _ in 0..<20 { window.lossDetected() }
        #expect(window.limit == 200)
        var plain = ProbeWindow(fileLimit: 4096, maxParallelism: nil)
        for _ in 0..<20 { plain.lossDetected() }
        #expect(plain.limit == ProbeWindow.minimum)
    }

    @Test("-PS/-PA: discovery sends the chosen probes and reads replies from those ports, not the default ones")
    func discoveryPackets() {
        let chosen = DiscoveryProbeSet(synPorts: [22, 80], ackPorts: [80], echo: false)
        let packets = DiscoveryProbes.packets(for: chosen)
        #expect(packets.map(\.port) == [22, 80, 80])
        #expect(packets.map(\.kind) == [.tcp(.syn), .tcp(.syn), .tcp(.ack)])
        #expect(DiscoveryProbes.tcpKinds(packets) == [22: [.tcp(.syn)], 80: [.tcp(.syn), .tcp(.ack)]])
        #expect(DiscoveryProbes.all.map(\.port) == [0, 443, 80], "nmap's default: echo, SYN 443, ACK 80")
    }
}
