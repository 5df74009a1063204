import PortgridCore

extension ResultStore {
    /// The same results for only the given hosts: what remains after `r` narrows the targets.
    /// A plan is kept only when all its hosts are (the new scan brings its own).
    func keeping(hosts kept: Set<IPAddress>) -> ResultStore {
        var store = ResultStore()
        for plan in plans.values where plan.hosts.allSatisfy(kept.contains) {
            store.apply(.started(plan))
        }
        for host in sortedHosts where kept.contains(host.address) { store.record(host) }
        for address in addresses where kept.contains(address) {
            for result in results(for: address) { store.record(result) }
        }
        for notice in notices { store.apply(.notice(notice)) }
        store.keepTimes(of: kept, from: self)
        return store
    }
}
