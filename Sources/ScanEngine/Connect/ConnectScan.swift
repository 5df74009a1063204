import PortgridCore

/// TCP connect scan. (Being written: the epoll engine replaces this file.)
enum ConnectScan {
    static func run(plan: ScanPlan, control: ScanControl, sink: EventSink, seed: UInt64) throws {
        throw ScanError.unsupported("connect scan engine is not built yet")
    }
}
