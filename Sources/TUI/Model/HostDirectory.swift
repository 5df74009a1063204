import PortgridCore

/// The hosts worth listing, in address order, kept sorted by insertion so a /24 of hosts
/// appearing one by one never re-sorts the list.
struct HostDirectory: Sendable {
    private(set) var info: [IPAddress: HostResult] = [:]
    /// Up hosts, sorted.
    private(set) var listed: [IPAddress] = []

    var upCount: Int { listed.count }
    var downCount: Int { info.values.reduce(0) { $0 + ($1.status == .down ? 1 : 0) } }

    subscript(address: IPAddress) -> HostResult? { info[address] }

    /// Same merge rule as ResultStore: "up" is sticky, names and round trips are kept once known.
    mutating func record(_ host: HostResult) {
        var merged = host
        if let existing = info[host.address] {
            merged.hostname = host.hostname ?? existing.hostname
            if existing.status == .up && host.status != .up { return }
            merged.rtt = host.rtt ?? existing.rtt
        }
        info[host.address] = merged
        if merged.status == .up { list(host.address) }
    }

    mutating func name(_ address: IPAddress, _ name: String) {
        if info[address] == nil {
            info[address] = HostResult(address: address, hostname: name, status: .unknown, reason: .userSet)
        } else if info[address]?.hostname == nil {
            info[address]?.hostname = name
        }
    }

    /// A port answered: the host is up, as ResultStore decides it.
    mutating func portAnswered(_ result: PortResult) {
        guard result.reason != .noResponse, info[result.host]?.status != .up else { return }
        record(HostResult(address: result.host, status: .up, reason: result.reason, rtt: result.rtt))
    }

    private mutating func list(_ address: IPAddress) {
        var low = 0, high = listed.count
        while low < high {
            let mid = (low + high) / 2
            if listed[mid] < address { low = mid + 1 } else { high = mid }
        }
        if low < listed.count && listed[low] == address { return }
        listed.insert(address, at: low)
    }
}
