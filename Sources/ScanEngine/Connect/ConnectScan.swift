import PortgridCore

/// TCP connect scan (`-sT`): needs no privileges, learns each port's state from the kernel's own
/// connect(), with the ICMP error queue read to tell a firewall's refusal from a closed port.
enum ConnectScan {
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64) throws {
        try run(plan: plan, control: control, sink: sink, seed: seed, system: LiveSystem())
    }

    /// The same on any syscall layer: tests pass a scripted network.
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64,
                    system: any SystemCalls) throws(ScanError) {
        guard plan.totalWork > 0 else { return }
        let fileLimit = ResourceLimits(system: system).raiseFileLimit()
        let engine = try ConnectEngine(plan: plan, control: control, sink: sink, seed: seed, system: system,
                                       fileLimit: fileLimit)
        try engine.run()
    }
}
