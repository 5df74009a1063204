import PortgridCore

/// Ports of one protocol that share a folded state and the reason for it.
public struct FoldedGroup: Hashable, Sendable {
    public var proto: TransportProtocol
    public var reason: Reason
    public var ports: PortSet

    public var count: Int { ports.count }
}

/// One state nmap's extraports rule folds into a count, split by protocol and reason.
public struct FoldedState: Hashable, Sendable {
    public var state: PortState
    /// Sorted protocol, then largest count first, then reason name.
    public var groups: [FoldedGroup]

    public var count: Int { groups.reduce(0) { $0 + $1.count } }

    public func count(of proto: TransportProtocol) -> Int {
        groups.reduce(0) { $0 + ($1.proto == proto ? $1.count : 0) }
    }
}

/// nmap's extraports rule (its "ignored states"): on one host, every state except open
/// that covers more than 25 ports (counted over all protocols; more with -v or -d) is not listed port by port but
/// counted; the folded states come most common first. Every port lands in exactly one place,
/// listed or counted, which is what lets `ndiff` compare our XML with nmap's.
public enum PortFolding {
    public static let maxListedPerState = 25

    /// How many ports of one state are listed before the state is counted instead, as nmap's
    /// verbosity and debugging levels widen it: 25 x ((v + 1) + 20 d) once either is on, and no
    /// folding at all from debugging level 3 (open|filtered stays listed from verbosity 3).
    public struct Rule: Hashable, Sendable {
        public var verbosity: Int
        public var debugging: Int

        public init(verbosity: Int = 0, debugging: Int = 0) {
            self.verbosity = max(0, verbosity)
            self.debugging = max(0, debugging)
        }

        public static let standard = Rule()

        /// The most ports of one state listed one by one; nil when nothing is folded.
        public var limit: Int? {
            if debugging > 2 { return nil }
            guard verbosity > 0 || debugging > 0 else { return maxListedPerState }
            return maxListedPerState * ((verbosity + 1) + 20 * debugging)
        }

        func folds(_ state: PortState, count: Int) -> Bool {
            guard state != .open, let limit else { return false }
            if state == .openFiltered && verbosity > 2 { return false }
            return count > limit
        }
    }

    /// `merged` is one host's results, one per (protocol, port), in listing order. `openOnly`
    /// (`--open`): every state it does not show is counted, however few ports have it.
    public static func fold<Port: FoldablePort>(_ merged: [Port], rule: Rule = .standard,
                                                openOnly: Bool = false) -> (listed: [Port], folded: [FoldedState]) {
        guard !merged.isEmpty else { return ([], []) }
        // No state can hold more ports than the host has: a host of a few ports (most hosts of a
        // big sweep) keeps them all listed without counting them.
        if !openOnly, rule.limit.map({ merged.count <= $0 }) ?? true { return (merged, []) }
        // Counted by state index and grouped by linear search: a host has a handful of
        // (state, protocol, reason) groups and up to 65,535 ports per protocol, so hashing each
        // port's key was most of the work.
        var counts = [Int](repeating: 0, count: PortState.allCases.count)
        for result in merged { counts[stateOrder(result.state)] += 1 }
        let foldedStates = Set(PortState.allCases.filter { state in
            let count = counts[stateOrder(state)]
            return openOnly ? !state.isShownByOpen && count > 0 : rule.folds(state, count: count)
        })
        guard !foldedStates.isEmpty else { return (merged, []) }

        var listed: [Port] = []
        var groupKeys: [GroupKey] = []
        var groupPorts: [[UInt16]] = []
        let folds = PortState.allCases.map { foldedStates.contains($0) }
        for result in merged {
            guard folds[stateOrder(result.state)] else {
                listed.append(result)
                continue
            }
            let key = GroupKey(state: result.state, proto: result.proto, reason: result.reason)
            if let index = groupKeys.lastIndex(of: key) {
                groupPorts[index].append(result.port)
            } else {
                groupKeys.append(key)
                groupPorts.append([result.port])
            }
        }
        let byGroup = Dictionary(uniqueKeysWithValues: zip(groupKeys, groupPorts))
        let folded = foldedStates.map { state in
            let groups = byGroup.filter { $0.key.state == state }
                .map { FoldedGroup(proto: $0.key.proto, reason: $0.key.reason, ports: PortSet(ports: $0.value)) }
                .sorted { ($0.proto, -$0.count, $0.reason.rawValue) < ($1.proto, -$1.count, $1.reason.rawValue) }
            return FoldedState(state: state, groups: groups)
        }
        .sorted { a, b in
            a.count != b.count ? a.count > b.count : stateOrder(a.state) < stateOrder(b.state)
        }
        return (listed, folded)
    }

    private static func stateOrder(_ state: PortState) -> Int { PortState.allCases.firstIndex(of: state) ?? 0 }

    private struct GroupKey: Hashable {
        var state: PortState
        var proto: TransportProtocol
        var reason: Reason
    }
}
