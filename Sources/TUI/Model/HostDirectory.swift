import PortgridCore

/// The hosts worth listing (the ones up), in address order. Hosts arrive in any order (a ping
/// sweep walks a random permutation), so new ones wait in a small sorted buffer that is merged
/// into the big sorted list when it fills: no insert ever shifts a /16-sized array.
///
/// What is known of each host is kept as the scan's own `ResultStore` keeps it (about 28 bytes a
/// host; a dictionary of `HostResult`s took about 180, 12 MB for a /16).
struct HostDirectory: Sendable {
    static let bufferLimit = 256

    private var records = ResultStore()
    private var merged: [IPAddress] = []
    private var recent: [IPAddress] = []
    private(set) var upCount = 0
    private(set) var downCount = 0
    /// Some host has a name (the layout widens the host pane for it).
    private(set) var hasNames = false
    /// Changes whenever what is known of a host does (`HostListing`).
    private(set) var revision = Revision.next()

    /// Up hosts, sorted.
    var listed: [IPAddress] { recent.isEmpty ? merged : Self.merge(merged, recent) }

    subscript(address: IPAddress) -> HostResult? { records.host(address) }

    /// The host's round trip in nanoseconds (what the list sorts by), nil when none.
    func rttNanoseconds(of address: IPAddress) -> Int64? { records.rttNanoseconds(of: address) }

    /// HostResult.merged(with:) is the rule, shared with ResultStore (which applies it here).
    mutating func record(_ host: HostResult) {
        let before = records.host(host.address)
        if let before, before.merged(with: host) == nil { return }
        records.record(host)
        guard let after = records.host(host.address) else { return }
        revision = Revision.next()
        if before?.status == .down { downCount -= 1 }
        if after.status == .down { downCount += 1 }
        if after.displayName != nil { hasNames = true }
        // "Up" is sticky: a host is listed once, when it first shows up.
        if after.status == .up && before?.status != .up {
            upCount += 1
            list(host.address)
        }
    }

    mutating func name(_ address: IPAddress, _ name: String) {
        hasNames = true
        revision = Revision.next()
        // A report of unknown status only adds the name, and only where the host has none.
        records.record(HostResult(address: address, hostname: name, status: .unknown, reason: .userSet))
    }

    /// A port answered: the host is up, as ResultStore decides it. A host taken as up without a
    /// probe (-Pn) has no round trip yet: its first answered port gives one.
    mutating func portAnswered(_ result: PortResult) {
        guard result.reason != .noResponse else { return }
        guard var known = records.host(result.host), known.status == .up else {
            record(HostResult(address: result.host, status: .up, reason: result.reason, rtt: result.rtt))
            return
        }
        if known.rtt == nil, let rtt = result.rtt {
            known.rtt = rtt
            record(known)
        }
    }

    private mutating func list(_ address: IPAddress) {
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
