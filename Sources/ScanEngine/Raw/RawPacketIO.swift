/// How a send went.
struct SendReport: Sendable {
    /// Packets dealt with, from the front: sent (or handed to a send thread that will send them),
    /// or refused for good (counted in `refused`).
    var consumed: Int
    /// Packets the local kernel refused for good (a local firewall's EPERM, no route), with the
    /// last reason. They count as sent and lost: the port ends filtered, as nmap reports it.
    /// Refusals met by a send thread are reported with a later call.
    var refused = 0
    var lastRefusal: String?
    /// A failure that ends the scan (the socket itself is unusable).
    var fatal: ScanError?
    /// `finishSends` only: when the last packet left, if a send thread still held some.
    var finishedAt: ContinuousClock.Instant?

    /// This report with another's refusals and failure folded in.
    func merging(_ other: SendReport) -> SendReport {
        var merged = self
        merged.refused += other.refused
        merged.lastRefusal = other.lastRefusal ?? lastRefusal
        merged.fatal = fatal ?? other.fatal
        return merged
    }
}

/// The raw engine's view of the network: send IPv4 packets, receive candidate replies, wait, and
/// read the clock. The live version is raw sockets; tests drive the engine with a simulated
/// network on a manual clock, so passes, retries and pacing are tested without sleeping.
protocol RawPacketIO: AnyObject {
    var now: ContinuousClock.Instant { get }
    /// Sends `packets[range]` from the front until the kernel has no room; the rest is for a later
    /// call. Part of them may still be on their way (on a second send thread) when it returns.
    func send(_ packets: PacketBatch, _ range: Range<Int>) throws(ScanError) -> SendReport
    /// Returns once every packet `send` took has left, with what became of those still on their
    /// way then (`consumed` is 0).
    func finishSends() throws(ScanError) -> SendReport
    /// Hands over packets already received (whole IPv4 datagrams), without blocking; at most `limit`.
    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(ScanError) -> Int
    /// Returns when a packet may be waiting or at `deadline`, whichever is first.
    func wait(until deadline: ContinuousClock.Instant) throws(ScanError)
}

extension RawPacketIO {
    /// For an IO whose `send` is done when it returns.
    func finishSends() throws(ScanError) -> SendReport { SendReport(consumed: 0) }
}
