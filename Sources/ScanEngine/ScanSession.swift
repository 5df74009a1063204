import PortgridCore

/// One scan from start to `.finished`, on the scan thread: resolve, choose the technique the
/// privileges allow, discover hosts, probe ports, report.
struct ScanSession {
    let request: ScanRequest
    let control: ScanControl
    let sink: EventSink

    func run() {
        let started = sink.started
        do {
            let resolved = try Resolver.resolve(request.targets, reverseDNS: request.reverseDNS == .allHosts,
                                                ipv6: request.ipv6)
            for note in resolved.notes { sink.send(.notice(Notice(.info, note))) }
            guard !resolved.hosts.isEmpty else { throw ScanError.noTargets }
            let (technique, notice) = try TechniqueChoice.effective(
                request.technique, rawAllowed: Privileges.canUseRawSockets)
            if let notice { sink.send(.notice(notice)) }
            if let other = request.packets.hostOfOtherFamily(resolved.hosts), let source = request.packets.sourceAddress {
                throw ScanError.unsupported("-S \(source) cannot be the source of probes to \(other): "
                                            + "give targets of the address's family")
            }
            // Only raw probes can carry a bad checksum: the kernel builds every connect's and
            // every unprivileged ICMP socket's packets (the command refuses --badsum with -sT; this
            // catches the connect scan chosen for want of privileges, or by a TUI key).
            if request.packets.badChecksum && !Privileges.canUseRawSockets {
                throw ScanError.needsPrivilege("--badsum (raw packets)")
            }
            if request.packets.badChecksum && technique == .connect {
                throw ScanError.unsupported("--badsum needs raw probes: the kernel builds a connect scan's packets")
            }
            var plan = ScanPlan(technique: technique, hosts: resolved.hosts, hostnames: resolved.names,
                                ports: request.portSet, timing: control.current.timing,
                                assumedUp: request.skipDiscovery, sequential: request.sequential)
            plan.packets = request.packets
            announce(resolved.reverseNames)
            if technique == .ping {
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
                    let up = try HostDiscovery.sweep(plan: group, control: control, sink: sink, reportDown: true,
                                                     probes: request.discoveryProbes)
                    let live = request.skipDiscovery ? group.hosts : Self.hosts(group.hosts, where: up, is: true)
                    nameLiveHosts(live)
                    announceLinkAddresses(live, technique: technique)
                    if groups.count > 1 { groupDone(group.hosts) }
                }
            } else if let groups = wholeTargetGroups(plan) {
                try scanWhole(groups, of: plan)
            } else {
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
                        let found = try HostDiscovery.sweep(plan: group, control: control, sink: sink, reportDown: true,
                                                            probes: request.discoveryProbes)
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
            finish(control.isCancelled ? .cancelled : .completed, started)
        } catch {
            sink.send(.notice(Notice(.error, "\(error)")))
            finish(.failed, started, error: "\(error)")
        }
    }

    /// A port scan in the run's default hostgroups (`ScanRequest.defaultHostgroup`: no
    /// `--max-hostgroup`, no shard) with discovery, when its targets make more than one: the
    /// groups of targets, each to be scanned whole (`scanWhole`). Nil otherwise.
    private func wholeTargetGroups(_ plan: ScanPlan) -> [ScanPlan]? {
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
    private func scanWhole(_ groups: [ScanPlan], of plan: ScanPlan) throws {
        for group in groups where !control.isCancelled {
            let found = try HostDiscovery.sweep(plan: group, control: control, sink: sink, reportDown: true,
                                                probes: request.discoveryProbes)
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

    /// `--max-hostgroup`, else the run's default (`ScanRequest.defaultHostgroup`).
    private func hostgroupSize(_ plan: ScanPlan) -> Int? {
        plan.timing.maxHostgroup ?? request.defaultHostgroup
    }

    /// Tells the consumer a group's hosts will have no more events. Not after a cancel: the group
    /// may have stopped short, and its hosts go out with the rest in the interrupted report.
    /// A consumer that writes groups out is waited for (`ScanControl.writesHostgroups`).
    private func groupDone(_ hosts: HostList) {
        guard !control.isCancelled else { return }
        sink.send(.hostgroupDone(hosts))
        control.waitForHostgroupWrite()
    }

    /// The hosts whose flag (`HostDiscovery.sweep`'s, by position) is `value`; a host past the
    /// flags' end (a sweep cancelled before its group) counts as not up.
    /// All of them is the same list, shared.
    private static func hosts(_ hosts: HostList, where flags: [Bool], is value: Bool) -> HostList {
        if value, flags.count == hosts.count, !flags.contains(false) { return hosts }
        var chosen = HostList()
        for (index, host) in hosts.enumerated() where (index < flags.count && flags[index]) == value {
            chosen.append(host)
        }
        return chosen
    }

    /// nmap's default: the reverse-DNS names of the hosts found up, looked up once discovery is
    /// done (an address that did not answer is never asked about). `-R` looked them all up already.
    private func nameLiveHosts(_ hosts: HostList) {
        guard request.reverseDNS == .liveHosts, !hosts.isEmpty, !control.isCancelled else { return }
        announce(Resolver.names(of: hosts))
    }

    /// The link-layer addresses the kernel learned for live hosts on our own link while probing
    /// them, as nmap reports a MAC address for each directly connected host. nmap knows one only
    /// when it sent raw frames (its ARP ping, a raw scan), never after a connect scan with -Pn or
    /// without privileges: the same rule here, so both report the same hosts' addresses.
    private func announceLinkAddresses(_ hosts: HostList, technique: Technique) {
        let sentRaw = Privileges.canUseRawSockets && (technique.needsRawSocket || !request.skipDiscovery)
        guard sentRaw, !control.isCancelled else { return }
        for (address, mac) in NeighborTable.addresses(of: hosts).sorted(by: { $0.key < $1.key }) {
            sink.send(.host(.onLink(address, mac: mac)))
        }
    }

    private func announce(_ names: [IPAddress: String]) {
        for (address, name) in names.sorted(by: { $0.key < $1.key }) {
            sink.send(.host(.named(address, reverseName: name)))
        }
    }

    private func probe(_ plan: ScanPlan, _ finished: FinishedWork) throws {
        switch plan.technique {
        case .connect:
            try ConnectScan.run(plan: plan, control: control, sink: sink, seed: request.seed, shard: request.shard,
                                finished: finished)
        case .syn, .fin, .null, .xmas, .ack, .udp:
            try RawScan.run(plan: plan, control: control, sink: sink, seed: request.seed, shard: request.shard,
                            finished: finished)
        case .ping: break
        }
    }

    /// The plan's pairs this run will not probe: other shards' and those an earlier run decided.
    /// Skipped hosts' pairs are counted at this shard's share of them (walking the permutation to
    /// count them exactly would cost what the scan does).
    static func notProbed(_ plan: ScanPlan, _ shard: Shard, _ finished: FinishedWork) -> Int {
        let total = UInt64(plan.totalWork)
        let others = Int(total - shard.ownedCount(of: total))
        // Without --resume there is nothing decided: no set of the plan's hosts (3 MB for a /16,
        // made at the very start of the scan, the SYN /16's heap peak).
        guard !finished.ports.isEmpty || !finished.skipped.isEmpty else {
            return min(plan.totalWork, others)
        }
        let hosts = Set(plan.hosts)
        let decided = finished.ports.reduce(0) { sum, entry in
            hosts.contains(entry.key) && !finished.skipsAll(entry.key)
                ? sum + entry.value.count { plan.ports.contains($0) } : sum
        }
        let skipped = hosts.count { finished.skipsAll($0) } * plan.ports.count / shard.count
        return min(plan.totalWork, others + decided + skipped)
    }

    private func finish(_ outcome: ScanSummary.Outcome, _ started: ContinuousClock.Instant, error: String? = nil) {
        sink.finish(ScanSummary(outcome: outcome, elapsed: .now - started, probesSent: sink.probesSent, error: error))
    }
}
