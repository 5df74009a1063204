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
        // Runs of one host (a -p- scan of one target is all one run) go in with one lookup each,
        // not one per result: this is most of building a big report.
        var buckets: [IPAddress: [PortResult]] = [:]
        var run: [PortResult] = []
        for result in results {
            if let first = run.first, first.host != result.host {
                buckets[first.host, default: []].append(contentsOf: run)
                run.removeAll(keepingCapacity: true)
            }
            run.append(result)
        }
        if let first = run.first { buckets[first.host, default: []].append(contentsOf: run) }
        return buckets.keys.sorted().map { ($0, mergeOneHost(buckets[$0]!)) }
    }

    /// One host's results, deduplicated by sorting packed integer keys: a -p- scan of a few hosts
    /// is hundreds of thousands of results, and integer sorts are what keep exit fast.
    static func mergeOneHost(_ results: [PortResult]) -> [PortResult] {
        if results.count >= flatThreshold { return mergeOneHostFlat(results) }
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

    /// From this many results a table of every (protocol, port) slot beats sorting them.
    static let flatThreshold = 4_096

    /// The same merge in one pass: each slot keeps the index of its preferred result (on a tie the
    /// earlier one, as the sorted keys' index bits decide), then the slots are read in order.
    static func mergeOneHostFlat(_ results: [PortResult]) -> [PortResult] {
        var best = [Int32](repeating: -1, count: 2 * 65_536)
        var bestPreference = [UInt16](repeating: .max, count: 2 * 65_536)
        for index in results.indices {
            let result = results[index]
            let slot = (result.proto == .udp ? 65_536 : 0) + Int(result.port)
            let preference = UInt16(6 - rank(result.state)) << 8 | UInt16(order(of: result.technique))
            if preference < bestPreference[slot] {
                bestPreference[slot] = preference
                best[slot] = Int32(index)
            }
        }
        var merged: [PortResult] = []
        merged.reserveCapacity(results.count)
        for index in best where index >= 0 { merged.append(results[Int(index)]) }
        return merged
    }

    /// One host's rows from the store, merged by the same rule: one answer per (protocol, port),
    /// sorted protocol, port. A protocol probed by one technique is its row as it stands; several
    /// are merged through a table of the 65,536 ports, rows in technique order, a later row taking
    /// a port only with a more definite state (so on a tie the first technique stands).
    public static func merge(_ rows: [PortRow]) -> [PortAnswer] {
        // A swept host has no row: a report makes each host once per pass, so this is common.
        guard !rows.isEmpty else { return [] }
        // One technique (every host of a plain scan): its row as it stands, nothing to merge.
        if rows.count == 1 { return answers(rows[0]) }
        var merged: [PortAnswer] = []
        for proto in TransportProtocol.allCases.sorted() {
            let mine = rows.filter { $0.technique.transport == proto }
                .sorted { order(of: $0.technique) < order(of: $1.technique) }
            if mine.count == 1 {
                merged.append(contentsOf: answers(mine[0]))
                continue
            }
            guard !mine.isEmpty else { continue }
            var best = [PortAnswer?](repeating: nil, count: 65_536)
            for row in mine {
                row.forEach { port, cell in
                    if let held = best[Int(port)], rank(held.state) >= rank(cell.state) { return }
                    best[Int(port)] = PortAnswer(port: port, technique: row.technique, cell: cell)
                }
            }
            for answer in best { if let answer { merged.append(answer) } }
        }
        return merged
    }

    /// A row's answers in port order.
    private static func answers(_ row: PortRow) -> [PortAnswer] {
        var answers: [PortAnswer] = []
        answers.reserveCapacity(row.count)
        row.forEach { port, cell in answers.append(PortAnswer(port: port, technique: row.technique, cell: cell)) }
        return answers
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
