/// A ping sweep's share of a sharded scan: its work items are hosts, so shard I of N sweeps the
/// hosts at positions I-1, I-1+N, ... of the seeded permutation of host indices. The N slices are
/// disjoint and cover every host, whatever N (a shard past the host count sweeps nothing).
extension Shard {
    public func hostSlice<Host>(_ hosts: [Host], seed: UInt64) -> [Host] {
        guard count > 1 else { return hosts }
        let order = ScanOrder(count: UInt64(hosts.count), seed: seed)
        return order.indices(shard: self).map { Int($0) }.sorted().map { hosts[$0] }
    }
}
