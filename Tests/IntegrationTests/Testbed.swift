import Glibc
import Synchronization

/// A two-namespace network made for one test: a scanner namespace and a target namespace joined by a
/// veth pair in 198.18.0.0/15 and 2001:2::/48 (each host has both addresses on the same link),
/// `lo` up in both, no default route in either family, so nothing the scanner sends can leave. The target holds the layout's addresses, services (TestbedResponder), nftables
/// rules (TestbedFirewall) and ICMP rate limits. The portgrid binary runs inside the scanner namespace.
///
///     try await Testbed.with(.standard) { bed in
///         let run = try await bed.scan(["-sT", "-Pn", "-n", "-p", "22,80", bed.layout.primary])
///     }
///
/// Torn down on every path: namespaces deleted, the responder stopped; a crash leaves namespaces that
/// the next run removes (their names carry our pid).
final class Testbed {
    /// Root, `ip`, `nft`, `sysctl` and `python3`: without them the namespace tests skip, saying why.
    static var isAvailable: Bool { TestbedTools.canBuildTestbed && TestbedTools.path(of: "sysctl") != nil }
    static let requirement = "needs root, ip (iproute2), nft (nftables), sysctl and python3"

    let layout: TestbedLayout
    let scanner: String
    let target: String
    private var responder: TestbedResponder?

    private static let staleRemoved = Mutex(false)

    /// Builds a testbed for `layout`, runs `body` with it, tears it down. One testbed at a time per
    /// process (TestbedGate).
    static func with<T>(_ layout: TestbedLayout, _ body: (Testbed) async throws -> T) async throws -> T {
        try await TestbedGate.shared.withTurn {
            let first = staleRemoved.withLock { done in defer { done = true }; return !done }
            if first { TestbedNamespaces.removeStale() }
            let bed = Testbed(layout)
            defer { bed.tearDown() }
            try bed.build()
            return try await body(bed)
        }
    }

    private init(_ layout: TestbedLayout) {
        self.layout = layout
        let run = TestbedSequence.next()
        scanner = TestbedNamespaces.name(role: "scan", run: run)
        target = TestbedNamespaces.name(role: "tgt", run: run)
    }

    /// Runs the portgrid binary inside the scanner namespace with `arguments` plus `--no-tui -oJ -`
    /// (the JSON report on stdout). A run past `timeout` is killed and throws. `withoutRawSockets` runs
    /// it as root stripped of CAP_NET_RAW, as an unprivileged user would be. `wrappedIn` runs it
    /// under another command (e.g. strace). On a layout that receives on another core, it runs on
    /// core 0. `whileRunning` is called every 40 ms or so while the scanner runs.
    func scan(_ arguments: [String], timeout: Duration = .seconds(120), withoutRawSockets: Bool = false,
              wrappedIn wrapper: [String] = [],
              whileRunning: (() -> Void)? = nil) async throws(TestbedError) -> TestbedRun {
        let binary = try TestbedBinary.require()
        let unprivileged = withoutRawSockets
            ? [try TestbedTools.require("setpriv"), "--bounding-set=-net_raw", "--inh-caps=-net_raw", "--"] : []
        let pinned = layout.receiveOnAnotherCore ? [try TestbedTools.require("taskset"), "-c", "0"] : []
        let argv = ["ip", "netns", "exec", scanner] + pinned + unprivileged + wrapper + [binary] + arguments
            + ["--no-tui", "-oJ", "-"]
        return TestbedRun(output: try await TestbedCommand.output(argv, timeout: timeout, whileRunning: whileRunning))
    }

    /// One of the scanner namespace's TCP extension counters (`/proc/net/netstat`, `TcpExt:`), as
    /// the kernel counts it for that namespace since it was made.
    func scannerCounter(tcpExt name: String) throws(TestbedError) -> Int {
        let lines = try TestbedCommand.run(["ip", "netns", "exec", scanner, "cat", "/proc/net/netstat"]).stdout
            .split(separator: "\n").filter { $0.hasPrefix("TcpExt:") }
        guard lines.count == 2 else { throw .counterMissing(name, shown: lines.joined(separator: "\n")) }
        let counters = Dictionary(zip(lines[0].split(separator: " ").map(String.init),
                                      lines[1].split(separator: " ").map(String.init)), uniquingKeysWith: { first, _ in first })
        guard let value = counters[name].flatMap({ Int($0) }) else { throw .counterMissing(name, shown: String(lines[0])) }
        return value
    }

    /// The scanner host's own traffic: a TCP connection from the scanner namespace to `port` (one of
    /// the layout's `tcp.echo` ports) on `host`, exchanging messages until the returned client is
    /// stopped; `stop()` returns "exchanges N errors M".
    func holdConnection(to host: String, port: UInt16) throws(TestbedError) -> TestbedResponder {
        try TestbedResponder(namespace: scanner, arguments: ["--hold-client", "\(host):\(port)"])
    }

    private func build() throws(TestbedError) {
        try TestbedNamespaces.create(scanner)
        try TestbedNamespaces.create(target)
        // Both ends are made inside their namespaces: no interface name ever exists on the host.
        try ip("link", "add", "name", "pgs0", "netns", scanner, "type", "veth", "peer", "name", "pgt0", "netns", target)
        try ip("-n", scanner, "addr", "add", layout.scannerAddress + "/24", "dev", "pgs0")
        if let gateway = layout.gateway {
            try ip("-n", target, "addr", "add", gateway + "/24", "dev", "pgt0")
            for host in layout.hosts { try ip("-n", target, "addr", "add", host.address + "/32", "dev", "pgt0") }
        } else {
            for host in layout.hosts { try ip("-n", target, "addr", "add", host.address + "/24", "dev", "pgt0") }
        }
        // The IPv6 twins on the same link; nodad, so they answer at once instead of after DAD.
        try ip("-n", scanner, "addr", "add", layout.scannerAddress6 + "/64", "dev", "pgs0", "nodad")
        for host in layout.hosts { try ip("-n", target, "addr", "add", host.address6 + "/64", "dev", "pgt0", "nodad") }
        try ip("-n", scanner, "link", "set", "pgs0", "up")
        try ip("-n", target, "link", "set", "pgt0", "up")
        try waitForOperationalLink()
        if let gateway = layout.gateway {
            // The hosts' /24s through the gateway (addresses there that no host holds go unanswered);
            // still no default route.
            let nets = Set(layout.hosts.map { $0.address.split(separator: ".").dropLast().joined(separator: ".") + ".0/24" })
            for net in nets.sorted() { try ip("-n", scanner, "route", "add", net, "via", gateway) }
        }
        try TestbedNamespaces.requireNoDefaultRoute(scanner)
        try TestbedNamespaces.requireNoDefaultRoute(target)
        if layout.receiveOnAnotherCore {
            // Inside each namespace, where /sys shows its own devices.
            for (namespace, device) in [(scanner, "pgs0"), (target, "pgt0")] {
                try TestbedCommand.run(["ip", "netns", "exec", namespace, "sh", "-c",
                                        "echo 2 > /sys/class/net/\(device)/queues/rx-0/rps_cpus"])
            }
        }

        let limits = switch layout.icmpLimits {
        case .deterministic:
            ["net.ipv4.icmp_ratelimit=0", "net.ipv4.icmp_msgs_per_sec=1000000", "net.ipv4.icmp_msgs_burst=1000000",
             "net.ipv6.icmp.ratelimit=0"]
        case .kernelDefault:
            ["net.ipv4.icmp_ratelimit=1000", "net.ipv4.icmp_msgs_per_sec=1000", "net.ipv4.icmp_msgs_burst=50",
             "net.ipv6.icmp.ratelimit=1000"]
        }
        try TestbedCommand.run(["ip", "netns", "exec", target, "sysctl", "-q", "-w"] + limits)
        try TestbedCommand.run(["ip", "netns", "exec", target, "nft", "-f", "-"],
                               stdin: TestbedFirewall.ruleset(for: layout))
        if let arguments = TestbedResponder.arguments(for: layout) {
            responder = try TestbedResponder(namespace: target, arguments: arguments)
        }
    }

    /// IPv6 starts on a link only when the kernel's link watch has marked it operational, up to a
    /// second after `link set up`; until then the target answers no neighbour solicitation, and the
    /// first probes of a scan would wait a solicitation retry out. Bounded: 5 s, then build fails.
    private func waitForOperationalLink() throws(TestbedError) {
        let deadline = ContinuousClock.now + .seconds(5)
        for (namespace, device) in [(scanner, "pgs0"), (target, "pgt0")] {
            while true {
                let shown = try TestbedCommand.run(["ip", "-n", namespace, "-o", "link", "show", "dev", device])
                if shown.stdout.contains("state UP") { break }
                guard ContinuousClock.now < deadline else {
                    throw .linkNotReady(shown.stdout)
                }
                usleep(20_000)
            }
        }
    }

    private func tearDown() {
        responder?.stop()
        responder = nil
        TestbedNamespaces.delete(scanner)
        TestbedNamespaces.delete(target)
    }

    private func ip(_ arguments: String...) throws(TestbedError) {
        try TestbedCommand.run(["ip"] + arguments)
    }
}
