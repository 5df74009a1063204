import FoundationEssentials

/// Everything found so far, keyed by (host, protocol, port, technique), so switching technique in
/// the TUI keeps what earlier scans found. Pure value; the consumers own one each.
///
/// Stored compactly, because a scan's memory is mostly its results: hosts are numbered
/// (`HostIndex`), what is known of each host is a `HostCell` in an array by number (names and link
/// addresses apart, for the hosts that have them), and each technique's port answers are a grid of
/// 8-byte `PortCell`s (`PortGrid`), a row per host that answered. `PortResult` and `HostResult`
/// values are made only when asked for.
public struct ResultStore: Sendable {
    private var index = HostIndex()
    /// By host number.
    private var hostCells: [HostCell] = []
    private var names: [Int32: HostNames] = [:]
    /// One per technique that has a plan or a result, in technique order.
    private var grids: [PortGrid] = []
    /// What each technique was asked to scan, so reports can count unanswered ports too.
    public private(set) var plans: [Technique: ScanPlan] = [:]
    public private(set) var notices: [Notice] = []
    public private(set) var summary: ScanSummary?
    /// When each port-scan plan started (the `.started` event's arrival): a host's scan starts with
    /// the first plan that names it, as nmap's host `starttime` is its hostgroup's start.
    public private(set) var planStarts: [Technique: Date] = [:]
    /// Hosts with a record of their own (status, reason): what `host(_:)` answers for.
    public private(set) var hostCount = 0
    /// (host, protocol, port, technique) entries with a result.
    public private(set) var resultCount = 0
    /// The host the last answered port showed up (its status can only stay up: "up" is sticky).
    private var lastHostUp: (address: IPAddress, number: Int32)?

    public init() {}

    /// Folds one event in; `time` is when it arrived (the only clock reading the store keeps, for
    /// the hosts' scan times).
    public mutating func apply(_ event: ScanEvent, at time: Date = Date()) {
        switch event {
        case .started(let plan):
            plans[plan.technique] = plan
            // A fresh store (the TUI's, or a headless hostgroup's) gets room for its plan's hosts at
            // once: grown from empty, the host cells and the index double their way there, each
            // doubling holding the old arrays beside the new, and end with up to twice the room
            // (a /16's cells are 1 MB, its index 0.75 MB). Not later: a second plan mostly names the same hosts.
            if index.count == 0 { reserve(plan.hosts) }
            if plan.technique.scansPorts {
                planStarts[plan.technique] = time
                // The plan's ports are the grid's axis up front: a result outside it moves every cell.
                grids[grid(for: plan.technique)].widen(to: plan.ports)
            }
            // -Pn: the user declared these hosts up (nmap's reason "user-set"); a port's reply later
            // must not stand in for the user's word. A port scan's hosts are recorded so with their
            // first result (`record(_: PortResult)`), and reports name a planned host with none
            // as up by user setting: a /15's 131,072 records up front held memory through every
            // hostgroup. A sweep's are recorded now, before its down events could say otherwise.
            if plan.assumedUp && !plan.technique.scansPorts {
                for address in plan.hosts where host(address)?.status != .up {
                    record(HostResult(address: address, status: .up, reason: .userSet))
                }
            }
            for (address, name) in plan.hostnames where host(address)?.hostname == nil {
                var named = host(address) ?? HostResult(address: address, status: .unknown, reason: .userSet)
                named.hostname = name
                store(named, number: number(for: address))
            }
        case .host(let host):
            record(host)
        case .hosts(let hosts):
            for host in hosts { record(host) }
        case .hostsDown(let down):
            for host in down.hosts { record(host) }
        case .results(let batch):
            for result in batch { record(result) }
            // Runs of one host: one stamp per run, not per result.
            var last: IPAddress?
            for result in batch where result.host != last {
                last = result.host
                hostCells[Int(number(for: result.host))].stampResult(time)
            }
        case .progress, .trace, .hostgroupDone:
            break
        case .notice(let notice):
            notices.append(notice)
        case .finished(let summary):
            self.summary = summary
        }
    }

    public mutating func record(_ host: HostResult) {
        let number = number(for: host.address)
        var merged = host
        if let existing = self.host(number) {
            guard let update = existing.merged(with: host) else { return }
            merged = update
        }
        store(merged, number: number)
    }

    public mutating func record(_ result: PortResult) {
        // Results come in runs of one host: the last host seen up needs no lookup of its number.
        let known = lastHostUp.flatMap { $0.address == result.host ? $0.number : nil }
        let number = known ?? number(for: result.host)
        if grids[grid(for: result.technique)].set(host: number, port: result.port, PortCell(result)) { resultCount += 1 }
        guard known == nil else { return }
        // -Pn: the user's word, not the reply, is why the host is up (see `.started`).
        if plans[result.technique]?.assumedUp == true {
            if hostCells[Int(number)].status != .up {
                record(HostResult(address: result.host, status: .up, reason: .userSet))
            }
            lastHostUp = (result.host, number)
            return
        }
        // Any reply from a port proves the host is up.
        guard result.reason != .noResponse else { return }
        if hostCells[Int(number)].status != .up {
            record(HostResult(address: result.host, status: .up, reason: result.reason, rtt: result.rtt,
                              replyTTL: result.replyTTL))
        }
        lastHostUp = (result.host, number)
    }

    /// Takes `hosts` out of the store: returns a store of them alone (their records, names, port
    /// results and times, the plans narrowed to them, when the plans started), and keeps the rest. A headless
    /// run writes a finished hostgroup out this way and lets it go, so its memory is one group's.
    /// An address the store does not know has nothing to hand over, but leaves the rest's plans.
    public mutating func takeHosts(_ hosts: some Sequence<IPAddress>) -> ResultStore {
        var moved = [Bool](repeating: false, count: index.count)
        var movedCount = 0
        // Asked for and never heard of (a -Pn host with no result yet): still the group's in its plans.
        var unheard = Set<IPAddress>()
        for address in hosts {
            guard let number = index.number(of: address) else {
                unheard.insert(address)
                continue
            }
            guard !moved[Int(number)] else { continue }
            moved[Int(number)] = true
            movedCount += 1
        }
        var taken: ResultStore, rest = emptyCopy()
        rest.notices = notices
        rest.summary = summary
        if movedCount == index.count {
            // Every host the store knows (a sweep's group): the store itself, not a copy of it.
            taken = self
            taken.notices = []
            taken.summary = nil
        } else {
            taken = emptyCopy()
            for number in 0 ..< Int32(index.count) {
                if moved[Int(number)] { taken.adopt(number, from: self) } else { rest.adopt(number, from: self) }
            }
        }
        // Each plan is split too: a report lists the hosts its plans name, so a group's report
        // names its own and the rest's no longer names a host already handed over.
        for (technique, plan) in plans {
            var mine = HostList(), others = HostList()
            for host in plan.hosts {
                let isMine = index.number(of: host).map { moved[Int($0)] } ?? unheard.contains(host)
                if isMine { mine.append(host) } else { others.append(host) }
            }
            taken.plans[technique]?.hosts = mine
            rest.plans[technique]?.hosts = others
        }
        self = rest
        return taken
    }

    /// A store with this one's plans, their start times and its grids' axes, and no host.
    private func emptyCopy() -> ResultStore {
        var copy = ResultStore()
        copy.plans = plans
        copy.planStarts = planStarts
        copy.grids = grids.map { $0.emptied() }
        return copy
    }

    /// Host `number` of `other`, everything known of it, as a host of this store.
    private mutating func adopt(_ number: Int32, from other: ResultStore) {
        let mine = self.number(for: other.index.address(number))
        let cell = other.hostCells[Int(number)]
        if cell.hasRecord { hostCount += 1 }
        hostCells[Int(mine)] = cell
        names[mine] = other.names[number]
        for grid in other.grids {
            guard let row = grid.row(host: number) else { continue }
            resultCount += grids[self.grid(for: grid.technique)].copy(row, to: mine)
        }
    }

    /// The scan times `other` kept for the `kept` hosts, for a store rebuilt from another (the TUI
    /// narrowing its targets): the rebuilt plans started when the old ones did, not now.
    public mutating func keepTimes(of kept: Set<IPAddress>, from other: ResultStore) {
        planStarts.merge(other.planStarts) { _, earlier in earlier }
        for address in kept {
            guard let time = other.lastResultTime(of: address) else { continue }
            hostCells[Int(number(for: address))].stampResult(time)
        }
    }

    /// What is known of one host, nil when nothing was recorded of it (port results alone do not count).
    public func host(_ address: IPAddress) -> HostResult? {
        // Not `flatMap(host)`: that closure captured a copy of the whole store, a third of a
        // /16 report's lookups.
        guard let number = index.number(of: address) else { return nil }
        return host(number)
    }

    /// The host's round trip in whole nanoseconds, without making its `HostResult` (the TUI sorts a
    /// /16's hosts by it).
    public func rttNanoseconds(of address: IPAddress) -> Int64? {
        guard let number = index.number(of: address) else { return nil }
        return hostCells[Int(number)].rttNanoseconds
    }

    /// When the host's last port result arrived: its scan's end, nmap's host `endtime`.
    public func lastResultTime(of address: IPAddress) -> Date? {
        guard let number = index.number(of: address) else { return nil }
        return hostCells[Int(number)].lastResultTime
    }

    /// Whether the store knows the address, by a record, a name or a port result.
    public func knows(_ address: IPAddress) -> Bool { index.number(of: address) != nil }

    /// Every host with a record, in numeric order.
    public var sortedHosts: [HostResult] { index.numbersInAddressOrder().compactMap(host) }

    /// Every host's link-layer address that is known (the vendors a report needs).
    public var macAddresses: [String] { names.values.compactMap(\.mac) }

    /// Every address the store knows, in numeric order.
    public var addresses: [IPAddress] { index.numbersInAddressOrder().map(index.address) }

    /// The same as runs (`HostList`): a /16's hosts found up are one run of 12 bytes where the
    /// array is 1.5 MB, and a report holds its list through its whole writing.
    public var addressList: HostList {
        var list = HostList()
        for number in index.numbersInAddressOrder() { list.append(index.address(number)) }
        return list
    }

    /// One host's answers, a row per technique that has any, in technique order.
    public func rows(of address: IPAddress) -> [PortRow] {
        guard let number = index.number(of: address) else { return [] }
        return grids.compactMap { $0.row(host: number) }
    }

    /// One host's results for a technique (nil = all techniques), sorted by protocol then port.
    public func results(for host: IPAddress, technique: Technique? = nil) -> [PortResult] {
        var results: [PortResult] = []
        for row in rows(of: host) where technique == nil || row.technique == technique {
            row.forEach { port, cell in results.append(cell.result(host: host, port: port, technique: row.technique)) }
        }
        return results.sorted { ($0.proto, $0.port, $0.technique) < ($1.proto, $1.port, $1.technique) }
    }

    /// Every result, sorted host, protocol, port, technique: the order exports use.
    public var allResults: [PortResult] { addresses.flatMap { results(for: $0) } }

    /// Calls `body` with every result, host by host (numeric order), without building them all at once.
    public func forEachResult(_ body: (PortResult) throws -> Void) rethrows {
        for address in addresses { for result in results(for: address) { try body(result) } }
    }

    /// Every result in a state, in the order of `allResults`.
    public func results(in state: PortState) -> [PortResult] {
        var found: [PortResult] = []
        for address in addresses {
            for row in rows(of: address) {
                row.forEach { port, cell in
                    if cell.state == state { found.append(cell.result(host: address, port: port, technique: row.technique)) }
                }
            }
        }
        return found.sorted { ($0.host, $0.proto, $0.port, $0.technique) < ($1.host, $1.proto, $1.port, $1.technique) }
    }

    public var techniques: [Technique] {
        Set(grids.filter { $0.filled > 0 }.map(\.technique)).union(plans.keys).sorted()
    }

    public func count(of state: PortState) -> Int { grids.reduce(0) { $0 + $1.count(of: state) } }

    /// Nothing at all recorded: no host and no port result.
    public var isEmpty: Bool { hostCount == 0 && resultCount == 0 }

    // MARK: - Storage

    private func host(_ number: Int32) -> HostResult? {
        hostCells[Int(number)].result(address: index.address(number), names: names[number])
    }

    /// Most hosts room is made for ahead: a /16, a headless run's hostgroup (a /15's plan is
    /// announced whole, and its groups are written out and let go a /16 at a time). Beyond it the
    /// store grows as hosts come: a TUI scan of a /8 quit early does not pay for 16 million.
    static let reservedHostsLimit = 1 << 16

    private mutating func reserve(_ hosts: HostList) {
        let count = Swift.min(hosts.count, Self.reservedHostsLimit)
        index.reserve(count, ipv4: Swift.min(hosts.ipv4Count, count))
        hostCells.reserveCapacity(count)
    }

    /// Room for host cells (tests of the reservation).
    var hostRoom: Int { hostCells.capacity }

    /// The address's number, given it one (and an empty host cell) if it had none.
    private mutating func number(for address: IPAddress) -> Int32 {
        let number = index.insert(address)
        if Int(number) == hostCells.count { hostCells.append(.none) }
        return number
    }

    private mutating func store(_ host: HostResult, number: Int32) {
        if !hostCells[Int(number)].hasRecord { hostCount += 1 }
        hostCells[Int(number)].record(host)
        let hostNames = HostNames(host)
        names[number] = hostNames.isEmpty ? nil : hostNames
    }

    private mutating func grid(for technique: Technique) -> Int {
        if let found = grids.firstIndex(where: { $0.technique == technique }) { return found }
        grids.append(PortGrid(technique: technique))
        grids.sort { $0.technique < $1.technique }
        return grids.firstIndex { $0.technique == technique }!
    }
}
