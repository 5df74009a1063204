import CPortgridSystem

/// A TPACKET_V2 receive ring shared with the kernel: for every packet that passes the socket's
/// filter, the kernel copies it into the next frame (in the sender's softirq, often on the other
/// core) and flips the frame's status to the user; reading it is a memory access and giving it back
/// a store, where a queue read needs a system call and a socket buffer per packet. Frames are taken
/// in ring order, so packets come out in the order they arrived.
final class RawReceiveRing {
    /// A frame holds the kernel's header (tpacket2_hdr and the sockaddr_ll, 80 bytes in all for a
    /// datagram socket) and the packet. 176 bytes keep every header a reply has, even an ICMP
    /// error quoting a probe, both with the longest IP options (60 + 8 + 60 + 8); a longer packet
    /// is cut (see `truncated`), which only shortens a payload no verdict reads.
    static let frameSize = 256
    /// 8 MiB: some 32,000 replies can wait while the scan thread is busy, about what the socket
    /// queue it replaces held. The kernel zeroes and maps it all when the scan starts (about a
    /// millisecond).
    static let frameCount = 32_768
    static let blockSize = 1 << 16

    // struct tpacket2_hdr: tp_status (u32) at 0, tp_len (u32) at 4, tp_snaplen (u32) at 8,
    // tp_mac (u16) at 12, tp_net (u16) at 14.
    private static let lengthOffset = 4
    private static let capturedOffset = 8
    private static let networkOffset = 14
    private static let statusKernel: UInt32 = 0
    private static let statusUser: UInt32 = 1

    private let base: UnsafeMutableRawPointer
    private let length: Int
    private var next = 0

    /// Sets up and maps the ring of `descriptor` (an AF_PACKET socket not yet bound).
    init(descriptor: CInt) throws(Errno) {
        try RawSyscalls.setUpReceiveRing(descriptor, blockSize: Self.blockSize, frameSize: Self.frameSize,
                                         frameCount: Self.frameCount)
        length = Self.frameSize * Self.frameCount
        base = try RawSyscalls.mapRing(descriptor, length: length)
    }

    deinit { RawSyscalls.unmap(base, length: length) }

    /// Calls `handle` with each waiting packet (its IPv4 datagram, and whether it was cut to the
    /// frame), at most `limit`; returns how many.
    func receive(limit: Int, _ handle: (UnsafeMutableRawBufferPointer, _ truncated: Bool) -> Void) -> Int {
        var count = 0
        while count < limit {
            let frame = base + next * Self.frameSize
            let status = frame.assumingMemoryBound(to: UInt32.self)
            guard portgrid_load_acquire_u32(status) & Self.statusUser != 0 else { break }
            let original = Int(frame.load(fromByteOffset: Self.lengthOffset, as: UInt32.self))
            let captured = Int(frame.load(fromByteOffset: Self.capturedOffset, as: UInt32.self))
            let network = Int(frame.load(fromByteOffset: Self.networkOffset, as: UInt16.self))
            // The kernel keeps both inside the frame; a frame that says otherwise is skipped.
            if network + captured <= Self.frameSize {
                handle(UnsafeMutableRawBufferPointer(start: frame + network, count: captured), captured < original)
            }
            portgrid_store_release_u32(status, Self.statusKernel)
            next = next + 1 == Self.frameCount ? 0 : next + 1
            count += 1
        }
        return count
    }
}
