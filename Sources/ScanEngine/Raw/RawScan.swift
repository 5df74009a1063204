import PortgridCore

/// Raw-packet techniques. (Being written: the raw prober replaces this file.)
enum RawScan {
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64) throws {
        throw ScanError.unsupported("\(plan.technique.title) scan is not built yet")
    }
}

enum Privileges {
    static var canUseRawSockets: Bool { false }
}

enum HostDiscovery {
    /// Returns the hosts found up. (First cut: every host is taken as up, as with -Pn.)
    @discardableResult
    static func sweep(plan: ScanPlan, control: ScanControl, sink: EventSink, reportDown: Bool) throws -> Set<IPAddress> {
        for host in plan.hosts {
            sink.send(.host(HostResult(address: host, hostname: plan.hostnames[host], status: .up, reason: .userSet)))
        }
        if plan.technique == .ping { sink.completed(plan.hosts.count) }
        return Set(plan.hosts)
    }
}
