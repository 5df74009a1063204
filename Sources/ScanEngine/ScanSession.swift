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
                try sweep(plan)
            } else if let groups = wholeTargetGroups(plan) {
                try scanWhole(groups, of: plan)
            } else {
                try scanLiveHosts(plan)
            }
            finish(control.isCancelled ? .cancelled : .completed, started)
        } catch {
            sink.send(.notice(Notice(.error, "\(error)")))
            finish(.failed, started, error: "\(error)")
        }
    }

    /// The hosts whose flag (`HostDiscovery.sweep`'s, by position) is `value`; a host past the
    /// flags' end (a sweep cancelled before its group) counts as not up.
    /// All of them is the same list, shared.
    static func hosts(_ hosts: HostList, where flags: [Bool], is value: Bool) -> HostList {
        if value, flags.count == hosts.count, !flags.contains(false) { return hosts }
        var chosen = HostList()
        for (index, host) in hosts.enumerated() where (index < flags.count && flags[index]) == value {
            chosen.append(host)
        }
        return chosen
    }

    /// nmap's default: the reverse-DNS names of the hosts found up, looked up once discovery is
    /// done (an address that did not answer is never asked about). `-R` looked them all up already.
    func nameLiveHosts(_ hosts: HostList) {
        guard request.reverseDNS == .liveHosts, !hosts.isEmpty, !control.isCancelled else { return }
        announce(Resolver.names(of: hosts))
    }

    /// The link-layer addresses the kernel learned for live hosts on our own link while probing
    /// them, as nmap reports a MAC address for each directly connected host. nmap knows one only
    /// when it sent raw frames (its ARP ping, a raw scan), never after a connect scan with -Pn or
    /// without privileges: the same rule here, so both report the same hosts' addresses.
    func announceLinkAddresses(_ hosts: HostList, technique: Technique) {
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

    func probe(_ plan: ScanPlan, _ finished: FinishedWork) throws {
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
