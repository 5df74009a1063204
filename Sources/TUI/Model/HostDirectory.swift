import PortgridCore

/// The hosts worth listing (the ones up), in address order. Hosts arrive in any order (a ping
/// sweep walks a random permutation), so new ones wait in a small sorted buffer that is merged
/// into the big sorted list when it fills: no insert ever shifts a /16-sized array.
struct HostDirectory: Sendable {
    static let bufferLimit = 256

    private(set) var info: [IPAddress: HostResult] = [:]
    private var merged: [IPAddress] = []
    private var recent: [IPAddress] = []
    private var present: Set<IPAddress> = []
    /// Some host has a name (the layout widens the host pane for it).
    private(set) var hasNames = false
    /// Changes whenever what is known of a host does (`HostListing`).
    private(set) var revision = Revision.next()

    /// Up hosts, sorted.
    var listed: [IPAddress] { recent.isEmpty ? merged : Self.merge(merged, recent) }
    var upCount: Int { present.count }
    var downCount: Int { info.values.reduce(0) { $0 + ($1.status == .down ? 1 : 0) } }

    subscript(address: IPAddress) -> HostResult? { info[address] }

    /// HostResult.merged(with:) is the rule, shared with ResultStore.
    mutating func record(_ host: HostResult) {
        var result = host
        if let existing = info[host.address] {
            guard let update = existing.merged(with: host) else { return }
            result = update
        }
        info[host.address] = result
        revision = Revision.next()
        if result.displayName != nil { hasNames = true }
        if result.status == .up { list(host.address) }
    }

    mutating func name(_ address: IPAddress, _ name: String) {
        hasNames = true
        revision = Revision.next()
        if info[address] == nil {
            info[address] = HostResult(address: address, hostname: name, status: .unknown, reason: .userSet)
        } else if info[address]?.hostname == nil {
            info[address]?.hostname = name
        }
    }

    /// A port answered: the host is up, as ResultStore decides it. A host taken as up without a
    /// probe (-Pn) has no round trip yet: its first answered port gives one.
    mutating func portAnswered(_ result: PortResult) {
        guard result.reason != .noResponse else { return }
        if info[result.host]?.status != .up {
            record(HostResult(address: result.host, status: .up, reason: result.reason, rtt: result.rtt))
        } else if info[result.host]?.rtt == nil, let rtt = result.rtt {
            info[result.host]?.rtt = rtt
            revision = Revision.next()
        }
    }

    private mutating func list(_ address: IPAddress) {
        guard present.insert(address).inserted else { return }
        if recent.isEmpty, merged.last.map({ $0 < address }) ?? true {
            merged.append(address) // hosts in address order: the common case, O(1)
            return
        }
        recent.insert(address, at: Self.insertionPoint(of: address, in: recent))
        if recent.count >= Self.bufferLimit {
            merged = Self.merge(merged, recent)
            recent = []
        }
    }

    static func insertionPoint(of address: IPAddress, in sorted: [IPAddress]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] < address { low = mid + 1 } else { high = mid }
        }
        return low
    }

    static func merge(_ a: [IPAddress], _ b: [IPAddress]) -> [IPAddress] {
        var result: [IPAddress] = []
        result.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { result.append(a[i]); i += 1 } else { result.append(b[j]); j += 1 }
        }
        result.append(contentsOf: a[i...])
        result.append(contentsOf: b[j...])
        return result
    }
}
