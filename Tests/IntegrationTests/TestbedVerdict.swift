import PortgridCore

/// Compares a host's report with the oracle, port by port. The result lists every difference in words
/// (empty when the report is exact), so one failing `#expect` shows everything that went wrong.
extension TestbedHostReport {
    func mismatches(against expected: [TestbedPortKey: TestbedExpectation], limit: Int = 40) -> [String] {
        var problems: [String] = []

        // Listed ports: each must be expected, with exactly the expected state and reason.
        for (key, listed) in ports.sorted(by: { $0.key < $1.key }) {
            guard let want = expected[key] else {
                problems.append("\(key) listed as \(listed.state)/\(listed.reason) but was not scanned")
                continue
            }
            if want.state != listed.state || want.reason != listed.reason {
                problems.append("\(key): expected \(want), got \(listed.state)/\(listed.reason)")
            }
        }

        // Every other scanned port is folded into extraports: the counts per (protocol, state, reason)
        // must equal those of the unlisted expected ports, so each port is accounted for exactly once.
        var wantFolded: [Fold: Int] = [:]
        var firstUnlisted: [Fold: TestbedPortKey] = [:]
        for (key, want) in expected where ports[key] == nil {
            let fold = Fold(proto: key.proto, state: want.state, reason: want.reason)
            wantFolded[fold, default: 0] += 1
            if firstUnlisted[fold].map({ key < $0 }) ?? true { firstUnlisted[fold] = key }
        }
        var gotFolded: [Fold: Int] = [:]
        for extra in extraports {
            gotFolded[Fold(proto: extra.proto, state: extra.state, reason: extra.reason), default: 0] += extra.count
        }
        // A fold without a reason stands for ports of its state whatever their reason.
        for (fold, count) in gotFolded where fold.reason == nil {
            gotFolded[fold] = nil
            let matching = wantFolded.keys.filter { $0.proto == fold.proto && $0.state == fold.state }
            if matching.count == 1, let only = matching.first {
                gotFolded[only, default: 0] += count
            } else {
                gotFolded[fold] = count
            }
        }
        for fold in Set(wantFolded.keys).union(gotFolded.keys).sorted() {
            let want = wantFolded[fold] ?? 0, got = gotFolded[fold] ?? 0
            guard want != got else { continue }
            let example = firstUnlisted[fold].map { " (e.g. \($0))" } ?? ""
            problems.append("\(fold): \(want) ports expected folded in extraports\(example), report folds \(got)")
        }

        guard problems.count > limit else { return problems }
        return Array(problems.prefix(limit)) + ["… and \(problems.count - limit) more differences"]
    }

    struct Fold: Hashable, Comparable, CustomStringConvertible {
        var proto: TransportProtocol
        var state: PortState
        var reason: Reason?

        var description: String { "\(proto.rawValue) \(state)/\(reason?.rawValue ?? "any reason")" }

        static func < (a: Self, b: Self) -> Bool { a.description < b.description }
    }
}
