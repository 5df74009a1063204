/// Everything the engine needs to run one scan; a value, so the TUI can change one field and rerun.
public struct ScanRequest: Hashable, Sendable {
    public var targets: TargetSet
    public var ports: PortList
    public var technique: Technique
    public var timing: TimingProfile
    /// `-Pn`: treat every host as up and skip the ping sweep.
    public var skipDiscovery: Bool
    /// Which addresses get their reverse-DNS names: live hosts by default, as nmap does.
    public var reverseDNS: ReverseDNS
    /// `--shard I/N`: this machine scans every N-th probe of the shared permutation.
    public var shard: Shard
    /// Seed of the probe-order permutation and the probe cookies; random per scan unless given.
    public var seed: UInt64
    /// `--resume`: what an earlier run of this scan already decided; it is not probed again.
    public var finished: FinishedWork = .none
    /// `-PS`, `-PA`, `-PE`: what host discovery sends.
    public var discoveryProbes = DiscoveryProbeSet.standard
    /// `-r`: probe the ports in order, not in the seeded permutation.
    public var sequential = false
    /// `-6`: names are scanned at their IPv6 address (and only IPv6 targets are accepted).
    public var ipv6 = false
    /// `--open`: reports show only ports that are or may be open (`PortState.isShownByOpen`), and
    /// only hosts with such ports. The results keep every port; the rule is applied where a
    /// report is made (`ScanReport`), so the TUI and `merge` keep the whole truth.
    public var openOnly = false
    /// `--packet-trace`: the engine reports every probe and reply as a `.trace` event. It changes
    /// what is printed, not what is found, so it is not part of a stored request.
    public var packetTrace = false
    /// `--ttl`, `--badsum`, `-g`, `-S`, `-e`: how every probe is shaped and where it leaves.
    public var packets = PacketOptions.standard
    /// The hostgroup size when `--max-hostgroup` gives none (nil: one group). A headless run sets
    /// it, so that a plan larger than a group is scanned group after group and each group written
    /// out and let go as it finishes (`ScanEvent.hostgroupDone`): its memory is that of one group,
    /// not of every target. The TUI shows every host, and leaves it nil.
    public var defaultHostgroup: Int? = nil

    public init(targets: TargetSet, ports: PortList = .defaultList, technique: Technique = .connect,
                timing: TimingProfile = .normal, skipDiscovery: Bool = false, reverseDNS: ReverseDNS = .never,
                shard: Shard = .whole, seed: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        self.targets = targets
        self.ports = ports
        self.technique = technique
        self.timing = timing
        self.skipDiscovery = skipDiscovery
        self.reverseDNS = reverseDNS
        self.shard = shard
        self.seed = seed
    }

    /// The ports this request's technique probes.
    public var portSet: PortSet { ports.ports(for: technique.transport) }
}

/// nmap's reverse-DNS rule: `-n` never, by default the hosts found up (nothing is asked about an
/// address that did not answer), `-R` every target, up or not.
public enum ReverseDNS: String, Hashable, Sendable, CaseIterable {
    case never
    case liveHosts = "live"
    case allHosts = "all"
}

public struct Shard: Hashable, Sendable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    public static func parse(_ text: String) throws(SpecError) -> Shard {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
            throw .invalidShard(text)
        }
        return Shard(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// How many of `total` permutation positions this shard owns: positions I-1, I-1+N, ...
    public func ownedCount(of total: UInt64) -> UInt64 {
        let offset = UInt64(index - 1)
        return total > offset ? (total - offset - 1) / UInt64(count) + 1 : 0
    }

    /// The permutation position of this shard's `n`-th probe.
    public func position(_ n: UInt64) -> UInt64 { UInt64(index - 1) + n * UInt64(count) }
}
