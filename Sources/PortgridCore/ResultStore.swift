/// Everything found so far, keyed by (host, protocol, port, technique), so switching technique in
/// the TUI keeps what earlier scans found. Pure value; the consumers own one each.
///
/// Stored compactly, because a scan's memory is mostly its results: hosts are numbered
/// (`HostIndex`), what is known of each host is a few bytes in an array by number, and each
/// technique's port answers are a grid of 8-byte `PortCell`s (`PortGrid`), a row per host that
/// answered. `PortResult` and `HostResult` values are made only when asked for.
public struct ResultStore: Sendable {
    private var index = HostIndex()
    /// By host number; `HostCell.none` where only port results named the host.
    private var hostCells: [HostCell] = []
    private var hostnames: [Int32: String] = [:]
    /// One per technique that has results, in technique order.
    private var grids: [PortGrid] = []
    /// What each technique was asked to scan, so reports can count unanswered ports too.
    public private(set) var plans: [Technique: ScanPlan] = [:]
    public private(set) var notices: [Notice] = []
    public private(set) var summary: ScanSummary?
    /// Hosts with a record of their own (status, reason): what `host(_:)` answers for.
    public private(set) var hostCount = 0
    /// (host, protocol, port, technique) entries with a result.
    public private(set) var resultCount = 0
    /// The host the last answered port showed up (its status can only stay up: "up" is sticky).
    private var lastHostUp: Int32?

    public init() {}

    public mutating func apply(_ event: ScanEvent) {
        switch event {
        case .started(let plan):
            plans[plan.technique] = plan
            // The plan's ports are the grid's axis up front: a result outside it would move every cell.
            if plan.technique.scansPorts { grids[grid(for: plan.technique)].widen(to: plan.ports) }
            for (address, name) in plan.hostnames where host(address)?.hostname == nil {
                let number = index.insert(address)
                growHostCells(to: number)
                if hostCells[Int(number)].isNone {
                    hostCells[Int(number)] = HostCell(HostResult(address: address, status: .unknown, reason: .userSet))
                    hostCount += 1
                }
                hostnames[number] = name
            }
        case .host(let host):
            record(host)
        case .results(let batch):
            for result in batch { record(result) }
        case .progress:
            break
        case .notice(let notice):
            notices.append(notice)
        case .finished(let summary):
            self.summary = summary
        }
    }

    public mutating func record(_ host: HostResult) {
        let number = index.insert(host.address)
        growHostCells(to: number)
        var merged = host
        if let existing = self.host(number) {
            guard let update = existing.merged(with: host) else { return }
            merged = update
        } else {
            hostCount += 1
        }
        hostCells[Int(number)] = HostCell(merged)
        if let name = merged.hostname { hostnames[number] = name }
    }

    public mutating func record(_ result: PortResult) {
        // Results come in runs of one host: the last host seen up needs no lookup of its number.
        let number = result.host == lastHostUpAddress ? lastHostUp! : index.insert(result.host)
        if grids[grid(for: result.technique)].set(host: number, port: result.port, PortCell(result)) { resultCount += 1 }
        // Any reply from a port proves the host is up.
        guard result.reason != .noResponse, number != lastHostUp else { return }
        growHostCells(to: number)
        if hostCells[Int(number)].status != .up {
            record(HostResult(address: result.host, status: .up, reason: result.reason, rtt: result.rtt))
        }
        lastHostUp = number
        lastHostUpAddress = result.host
    }

    private var lastHostUpAddress: IPAddress?

    /// What is known of one host, nil when nothing was recorded of it (port results alone do not count).
    public func host(_ address: IPAddress) -> HostResult? {
        index.number(of: address).flatMap(host)
    }

    private func host(_ number: Int32) -> HostResult? {
        guard Int(number) < hostCells.count else { return nil }
        return hostCells[Int(number)].result(address: index.address(number), hostname: hostnames[number])
    }

    /// Whether the store knows the address, by a record or by a port result.
    public func knows(_ address: IPAddress) -> Bool { index.number(of: address) != nil }

    /// Every host with a record, in numeric order.
    public var sortedHosts: [HostResult] { index.numbersInAddressOrder().compactMap(host) }

    /// Every address the store knows, by a record or by a port result, in numeric order.
    public var addresses: [IPAddress] { index.numbersInAddressOrder().map(index.address) }

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

    /// Every result in a state, in the order of `allResults`.
    public func results(in state: PortState) -> [PortResult] {
        addresses.flatMap { host in results(for: host).filter { $0.state == state } }
    }

    public var techniques: [Technique] {
        Set(grids.filter { $0.filled > 0 }.map(\.technique)).union(plans.keys).sorted()
    }

    public func count(of state: PortState) -> Int {
        var count = 0
        for number in 0..<Int32(index.count) {
            for grid in grids { grid.row(host: number)?.forEach { _, cell in if cell.state == state { count += 1 } } }
        }
        return count
    }

    /// Nothing at all recorded: no host and no port result.
    public var isEmpty: Bool { hostCount == 0 && resultCount == 0 }

    private mutating func grid(for technique: Technique) -> Int {
        if let found = grids.firstIndex(where: { $0.technique == technique }) { return found }
        grids.append(PortGrid(technique: technique))
        grids.sort { $0.technique < $1.technique }
        return grids.firstIndex { $0.technique == technique }!
    }

    private mutating func growHostCells(to number: Int32) {
        if Int(number) >= hostCells.count {
            hostCells.append(contentsOf: repeatElement(.none, count: Int(number) + 1 - hostCells.count))
        }
    }
}

/// What is known of one host, in eight bytes; its name is kept apart (few hosts have one).
private struct HostCell {
    /// 0: no record; else the status's code plus one.
    var statusCode: UInt8
    var reasonCode: UInt8
    var rttMicros: UInt32

    static let none = HostCell(statusCode: 0, reasonCode: 0, rttMicros: .max)

    init(statusCode: UInt8, reasonCode: UInt8, rttMicros: UInt32) {
        self.statusCode = statusCode
        self.reasonCode = reasonCode
        self.rttMicros = rttMicros
    }

    init(_ host: HostResult) {
        self.init(statusCode: UInt8(CompactCodes.statusIndex(host.status) + 1),
                  reasonCode: UInt8(CompactCodes.reasonIndex(host.reason)), rttMicros: CompactCodes.micros(host.rtt))
    }

    var isNone: Bool { statusCode == 0 }
    var status: HostStatus? { isNone ? nil : CompactCodes.statuses[Int(statusCode) - 1] }

    func result(address: IPAddress, hostname: String?) -> HostResult? {
        guard let status else { return nil }
        return HostResult(address: address, hostname: hostname, status: status,
                          reason: CompactCodes.reasons[Int(reasonCode)], rtt: CompactCodes.duration(rttMicros))
    }
}
