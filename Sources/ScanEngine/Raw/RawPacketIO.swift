/// One datagram for the raw send socket: the whole IPv4 packet and where it goes.
struct OutgoingPacket: Sendable {
    var bytes: [UInt8]
    var destination: UInt32
}

/// How a send batch went.
struct SendReport: Sendable {
    /// Packets dealt with, from the front: sent, or refused for good (counted in `refused`).
    var consumed: Int
    /// Packets the local kernel refused for good (a local firewall's EPERM, no route), with the
    /// last reason. They count as sent and lost: the port ends filtered, as nmap reports it.
    var refused = 0
    var lastRefusal: String?
    /// A failure that ends the scan (the socket itself is unusable).
    var fatal: ScanError?
}

/// The raw engine's view of the network: send IPv4 packets, receive candidate replies, wait, and
/// read the clock. The live version is raw sockets; tests drive the engine with a simulated
/// network on a manual clock, so passes, retries and pacing are tested without sleeping.
protocol RawPacketIO: AnyObject {
    var now: ContinuousClock.Instant { get }
    /// Sends from the front until the kernel has no room; the rest is for a later call.
    func send(_ packets: ArraySlice<OutgoingPacket>) throws(ScanError) -> SendReport
    /// Hands over packets already received (whole IPv4 datagrams), without blocking; at most `limit`.
    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(ScanError) -> Int
    /// Returns when a packet may be waiting or at `deadline`, whichever is first.
    func wait(until deadline: ContinuousClock.Instant) throws(ScanError)
}
