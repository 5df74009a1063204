import PortgridCore

/// The three ways a scan goes through its targets, and its hostgroups: a ping sweep group after
/// group; a port scan in the run's default groups of targets, each scanned whole; and a port scan
/// whose every target is pinged first, its live hosts then scanned together (in `--max-hostgroup`
/// groups). A group said done (`.hostgroupDone`) has no event after it, so its consumer may write
/// it out and let it go.
extension ScanSession {
    /// `-sn`: the sweep is the scan, group after group.
    func sweep(_ plan: ScanPlan) throws {
        var plan = plan
        let technique = plan.technique
        // A sweep's work items are hosts: a shard sweeps its slice, a resumed sweep the rest.
        // (Filtered only when there is something to leave out: the copy of a /16 is 2 MB.)
        if request.shard.count > 1 {
            plan.hosts = HostList(request.shard.hostSlice(Array(plan.hosts), seed: request.seed))
        }
        if !request.finished.hosts.isEmpty {
            plan.hosts = HostList(plan.hosts.lazy.filter { !request.finished.hosts.contains($0) })
        }
        sink.send(.started(plan))
        // --max-hostgroup: the sweep goes group after group, as nmap's does; the groups are
        // the plan's hosts in order, so their flags line up with `plan.hosts`.
        // Each group's live hosts are named and their link addresses announced with it, so
        // a group is whole when it is done.
        let groups = plan.hostgroups(size: hostgroupSize(plan))
        for group in groups where !control.isCancelled {
            let up = try discover(group)
            let live = request.skipDiscovery ? group.hosts : Self.hosts(group.hosts, where: up, is: true)
            nameLiveHosts(live)
            announceLinkAddresses(live, technique: technique)
            if groups.count > 1 { groupDone(group.hosts) }
        }
    }

    /// A port scan in the run's default hostgroups (`ScanRequest.defaultHostgroup`: no
    /// `--max-hostgroup`, no shard) with discovery, when its targets make more than one: the
    /// groups of targets, each to be scanned whole (`scanWhole`). Nil otherwise.
    func wholeTargetGroups(_ plan: ScanPlan) -> [ScanPlan]? {
        guard !request.skipDiscovery, request.shard.count == 1, plan.timing.maxHostgroup == nil,
              let size = request.defaultHostgroup else { return nil }
        let groups = plan.hostgroups(size: size)
        return groups.count > 1 ? groups : nil
    }

    /// Group after group of targets: each is pinged, its live hosts' ports are scanned under a plan
    /// of their own (`.started`), and the group, down hosts and live, is said done before the next
    /// is pinged, as nmap goes hostgroup by hostgroup. The run then holds one group's hosts.
    /// Pinging every target first held every live host's record through the whole port scan: a
    /// /15 whose upper half answered, 65,538 live hosts, peaked 3 MB over a /16, its records
    /// copied out of a store that held them all. `--max-hostgroup` keeps nmap's meaning, the live
    /// hosts scanned together: every target is pinged first and the live hosts grouped.
    ///
    /// Each group's plan counts the progress against every target's ports; a host found down has
    /// none to probe, so its ports count as done when it is found down.
    func scanWhole(_ groups: [ScanPlan], of plan: ScanPlan) throws {
        for group in groups where !control.isCancelled {
            let found = try discover(group)
            let live = Self.hosts(group.hosts, where: found, is: true)
            nameLiveHosts(live)
            var scanned = group
            scanned.hosts = live
            // The names the user gave this group's targets, down ones too (the report names them).
            if !plan.hostnames.isEmpty {
                let targets = Set(group.hosts)
                scanned.hostnames = plan.hostnames.filter { targets.contains($0.key) }
            }
            // Announced also when cancelled during the sweep, as a whole scan's plan is: the
            // interrupted report names the live hosts it found as planned and not scanned.
            sink.send(.started(scanned))
            sink.completed((group.hosts.count - live.count) * plan.ports.count
                           + Self.notProbed(scanned, request.shard, request.finished))
            if !live.isEmpty, !control.isCancelled { try probe(scanned, request.finished) }
            announceLinkAddresses(live, technique: plan.technique)
            groupDone(group.hosts)
        }
    }

    /// Pings a group's targets, each found down reported so: by position, whether each is up.
    func discover(_ group: ScanPlan) throws -> [Bool] {
        try HostDiscovery.sweep(plan: group, control: control, sink: sink, reportDown: true, probes: request.discoveryProbes)
    }

    /// `--max-hostgroup`, else the run's default (`ScanRequest.defaultHostgroup`).
    func hostgroupSize(_ plan: ScanPlan) -> Int? {
        plan.timing.maxHostgroup ?? request.defaultHostgroup
    }

    /// Tells the consumer a group's hosts will have no more events. Not after a cancel: the group
    /// may have stopped short, and its hosts go out with the rest in the interrupted report.
    /// A consumer that writes groups out is waited for (`ScanControl.writesHostgroups`).
    func groupDone(_ hosts: HostList) {
        guard !control.isCancelled else { return }
        sink.send(.hostgroupDone(hosts))
        control.waitForHostgroupWrite()
    }

    /// Every target pinged first (group by group), then the live hosts' ports, announced as one
    /// plan, in `--max-hostgroup` groups of live hosts (nmap's meaning); also a shard's scan, which
    /// is never grouped, and a single group's.
    func scanLiveHosts(_ plan: ScanPlan) throws {
        var plan = plan
        let technique = plan.technique
        var finished = request.finished
        var live = plan.hosts
        var down = HostList()
        // Whether the hosts found down are written out group by group as discovery goes.
        var downWritten = false
        var discoveryGroups = 1
        if !request.skipDiscovery {
            // Target group by group, as a sweep goes: a /15's discovery at once held the
            // engine's state for all of it, the run's peak. The port scan's plan, its live
            // hosts, is still known whole before any port is probed.
            var up: [Bool] = []
            let targetGroups = plan.hostgroups(size: hostgroupSize(plan))
            discoveryGroups = targetGroups.count
            // Each group's down hosts are done once its sweep is: written out before the next
            // group's (a /15 half dead held its lower half's 65,536 down records through the
            // upper half's discovery and its port scan, 4-5 MB over a /16's peak). They come
            // before the port scan's plan is announced, so the consumer's report header
            // names the scan from the request (`Scanner.effectiveTechnique`). Not in a shard:
            // its plan names every target, down ones included, and a plan naming a host
            // the store no longer holds would report it up.
            downWritten = discoveryGroups > 1 && request.shard.count == 1
            for group in targetGroups where !control.isCancelled {
                let found = try discover(group)
                up += found
                let gone = Self.hosts(group.hosts, where: found, is: false)
                if downWritten, !gone.isEmpty { groupDone(gone) }
            }
            live = Self.hosts(plan.hosts, where: up, is: true)
            down = Self.hosts(plan.hosts, where: up, is: false)
            if request.shard.count > 1 {
                // Shards split one permutation of every target's pairs, so it may not depend on
                // what each shard's sweep found: a host found down is skipped, not left out of
                // the order (a host one shard misses then shows as not scanned in the merge).
                finished.skip(Self.hosts(plan.hosts, where: up, is: false))
            } else {
                plan.hosts = live
            }
        }
        nameLiveHosts(live)
        sink.send(.started(plan))
        // Pairs other shards own, or an earlier run decided, count as done for the progress.
        sink.completed(Self.notProbed(plan, request.shard, finished))
        // --max-hostgroup: the live hosts' ports are scanned group after group (the sweep
        // before covered every target at once, so the one plan announced is known whole).
        // Shards split one permutation of every pair, so a sharded scan is never grouped
        // (the command line refuses the pair).
        let groups = request.shard.count > 1 ? [plan] : plan.hostgroups(size: hostgroupSize(plan))
        // The hosts found down are done once the sweep is: the first group written out
        // (unless each discovery group's went already), also when the live hosts make one
        // group.
        if groups.count > 1 || discoveryGroups > 1, !downWritten, !down.isEmpty { groupDone(down) }
        for group in groups where !group.hosts.isEmpty && !control.isCancelled {
            try probe(group, finished)
            if groups.count > 1 {
                announceLinkAddresses(group.hosts, technique: technique)
                groupDone(group.hosts)
            }
        }
        if groups.count == 1 { announceLinkAddresses(live, technique: technique) }
    }
}
