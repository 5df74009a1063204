import PortgridCore

/// The one merge rule for formats that hold one state per port, when several techniques probed
/// the same (host, protocol, port) — the TUI keeps each technique's results in one store.
///
/// The most definite state wins: open > closed > unfiltered > open|filtered > closed|filtered >
/// filtered. A reply from any technique is evidence about the port, while "filtered" only says
/// that one technique heard nothing, so an ACK scan's "filtered" never hides a connect scan's
/// "open". Between equal states the technique first in `Technique` order wins (connect, syn, udp,
/// fin, null, xmas, ack), so the result does not depend on dictionary order.
public enum PortMerge {
    /// Higher is more definite.
    public static func rank(_ state: PortState) -> Int {
        switch state {
        case .open: 6
        case .closed: 5
        case .unfiltered: 4
        case .openFiltered: 3
        case .closedFiltered: 2
        case .filtered: 1
        }
    }

    /// Whether `a` should stand for the port rather than `b`.
    public static func prefers(_ a: PortResult, over b: PortResult) -> Bool {
        let (ra, rb) = (rank(a.state), rank(b.state))
        return ra != rb ? ra > rb : a.technique < b.technique
    }

    /// One result per (host, protocol, port), sorted host (numeric), protocol, port.
    public static func merge(_ results: some Sequence<PortResult>) -> [PortResult] {
        mergeByHost(results).flatMap(\.results)
    }

    /// The same, grouped by host: hosts in numeric order, each host's ports sorted protocol, port.
    public static func mergeByHost(_ results: some Sequence<PortResult>) -> [(host: IPAddress, results: [PortResult])] {
        var buckets: [IPAddress: [PortResult]] = [:]
        for result in results { buckets[result.host, default: []].append(result) }
        return buckets.keys.sorted().map { ($0, mergeOneHost(buckets[$0]!)) }
    }

    /// One host's results, deduplicated by sorting packed integer keys: a -p- scan of a few hosts
    /// is hundreds of thousands of results, and integer sorts are what keep exit fast.
    static func mergeOneHost(_ results: [PortResult]) -> [PortResult] {
        // slot (protocol, port): 17 bits | preference: 16 bits | index into `results`: 24 bits
        var keys = results.indices.map { index -> UInt64 in
            let result = results[index]
            let slot = UInt64(result.proto == .udp ? 65536 : 0) + UInt64(result.port)
            let preference = UInt64(6 - rank(result.state)) << 8 | UInt64(order(of: result.technique))
            return slot << 40 | preference << 24 | UInt64(index)
        }
        keys.sort()
        var merged: [PortResult] = []
        merged.reserveCapacity(keys.count)
        var lastSlot = UInt64.max
        for key in keys where key >> 40 != lastSlot {
            lastSlot = key >> 40
            merged.append(results[Int(key & 0xFF_FFFF)])
        }
        return merged
    }

    private static func order(of technique: Technique) -> Int {
        switch technique {
        case .connect: 0
        case .syn: 1
        case .udp: 2
        case .fin: 3
        case .null: 4
        case .xmas: 5
        case .ack: 6
        case .ping: 7
        }
    }
}
