import FoundationEssentials
import PortgridCore

/// A run as reports see it, or one hostgroup of it (`ReportStream`), made once from a store and
/// shared by every format. It holds its totals and which addresses it reports, not their reports: each `HostReport` is made
/// when a writer reaches it (`HostReports`), so a /16's reports never exist all at once.
public struct ScanReport: Sendable {
    /// Every host something is known about, sorted numerically (IPv4 first), down hosts included.
    public let hosts: HostReports
    /// The run's plans and what it counts over these hosts.
    public let totals: ReportTotals
    public var plans: [ScanPlan] { totals.plans }
    public var interrupted: Bool { totals.interrupted }

    /// Whether each of `hosts` is down, by position: nmap's order puts them first.
    private let down: [Bool]
    public var upCount: Int { totals.upCount }
    public var downCount: Int { totals.downCount }
    /// Hosts `--open` left out (see `ReportTotals.hiddenByOpen`).
    public var hiddenByOpen: Int { totals.hiddenByOpen }
    /// Planned ports with no result, over every host reported.
    public var notScannedCount: Int { totals.notScannedCount }
    /// Whether any host reported has a link-layer address.
    public var hasMAC: Bool { totals.hasMAC }
    /// Every address the summary line counts, shown or left out by `--open`.
    public var addressCount: Int { totals.addressCount }
    /// Every host up, shown or left out by `--open`.
    public var allUpCount: Int { totals.allUpCount }

    /// Whether nmap's order is address order: a ping sweep alone reports every host in address
    /// order, and so does a run with no host down; one pass over the hosts then feeds every format.
    public var nmapOrderIsAddressOrder: Bool {
        downCount == 0 || !plans.contains(where: \.technique.scansPorts)
    }

    /// Hosts in the order nmap's outputs list them: the hosts found down first (nmap reports a
    /// hostgroup's down hosts after its ping sweep, the rest after their port scan), then the others.
    /// A ping sweep alone reports every host in address order.
    public var nmapOrder: HostReports {
        guard !nmapOrderIsAddressOrder else { return hosts }
        var ordered = HostList()
        for wanted in [true, false] {
            for (position, address) in hosts.addresses.enumerated() where down[position] == wanted { ordered.append(address) }
        }
        return HostReports(builder: hosts.builder, addresses: ordered)
    }

    /// `folding` and `openOnly` (`--open`) are applied as `HostReportBuilder` says. The totals come
    /// from one pass that decides each host's status and counts, without folding its ports.
    public init(_ store: ResultStore, interrupted: Bool, folding: PortFolding.Rule = .standard,
                openOnly: Bool = false) {
        let plans = store.plans.values.sorted { $0.technique < $1.technique }
        let builder = HostReportBuilder(store, plans: plans, folding: folding, openOnly: openOnly)
        // The reported addresses are the builder's own list when none is left out (the common
        // case), not a copy of it; a list of runs, where an array of a /16's was 1.5 MB.
        let addresses = builder.addresses()
        var left: [Int] = []
        var down: [Bool] = []
        var totals = ReportTotals(plans: plans, interrupted: interrupted)
        for (position, address) in addresses.enumerated() {
            switch builder.counts(address) {
            case .success(let host):
                down.append(host.status == .down)
                totals.reportedCount += 1
                if host.status == .up { totals.upCount += 1 }
                if host.status == .down { totals.downCount += 1 }
                totals.notScannedCount += host.notScannedCount
                totals.hasMAC = totals.hasMAC || host.hasMAC
            case .failure(.hiddenByOpen):
                totals.hiddenByOpen += 1
                left.append(position)
            case .failure(.absent):
                left.append(position)
            }
        }
        hosts = HostReports(builder: builder, addresses: left.isEmpty ? addresses : Self.removing(left, from: addresses))
        self.down = down
        self.totals = totals
    }
}

extension ScanReport {
    /// `addresses` without the ones at `positions` (ascending).
    private static func removing(_ positions: [Int], from addresses: HostList) -> HostList {
        var kept = HostList()
        var next = positions.makeIterator(), skip = next.next()
        for (position, address) in addresses.enumerated() {
            if position == skip { skip = next.next() } else { kept.append(address) }
        }
        return kept
    }

    /// The report of a store as `context` asks: its folding, and `--open` from its request (the
    /// TUI's exports keep to it as the final reports do).
    public init(_ store: ResultStore, context: ReportContext) {
        self.init(store, interrupted: context.interrupted, folding: context.folding,
                  openOnly: context.request?.openOnly ?? false)
    }
}

/// A report's hosts in one order, each `HostReport` made when it is read: reading one twice makes
/// it twice (the same value), and nothing is kept between reads.
public struct HostReports: RandomAccessCollection, Sendable {
    let builder: HostReportBuilder
    /// The addresses `ScanReport` found reported, in this collection's order.
    let addresses: HostList

    public var startIndex: Int { addresses.startIndex }
    public var endIndex: Int { addresses.endIndex }

    public subscript(position: Int) -> HostReport {
        // `ScanReport` kept only addresses the builder reported, from a store it holds unchanged.
        guard case .report(let host) = builder.build(addresses[position]) else {
            preconditionFailure("\(addresses[position]) was reported once and not again from the same store")
        }
        return host
    }
}
