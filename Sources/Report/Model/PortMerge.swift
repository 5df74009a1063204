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
        var best: [PortSlot: PortResult] = [:]
        for result in results {
            let slot = PortSlot(host: result.host, proto: result.proto, port: result.port)
            if let current = best[slot], !prefers(result, over: current) { continue }
            best[slot] = result
        }
        return best.values.sorted { ($0.host, $0.proto, $0.port) < ($1.host, $1.proto, $1.port) }
    }
}

/// A port of a host, whatever technique probed it.
struct PortSlot: Hashable {
    var host: IPAddress
    var proto: TransportProtocol
    var port: UInt16
}
