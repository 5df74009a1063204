import Glibc

/// Unprivileged ping: an ICMP datagram socket (SOCK_DGRAM, IPPROTO_ICMP), which Linux opens for the
/// groups in `net.ipv4.ping_group_range`. The kernel owns the echo identifier (it is the socket's
/// "port"), fills in the checksum, and hands back only replies to this socket, without their IP
/// header. This adapter lets the raw engine drive it: it sends only the ICMP part of echo
/// requests, and dresses each reply in a minimal IPv4 header again (sender as source), with the
/// identifier the engine's cookie expects, so the same classifier and passes serve both.
final class ICMPDatagramIO: RawPacketIO {
    private let descriptor: CInt
    private let system: any SystemCalls
    private let echoIdentifier: UInt16
    private let buffer: UnsafeMutableRawBufferPointer
    private static let headerLength = 20

    /// Fails with EACCES when this process's group may not open ICMP datagram sockets.
    init(echoIdentifier: UInt16, system: any SystemCalls = LiveSystem()) throws(Errno) {
        self.system = system
        self.echoIdentifier = echoIdentifier
        let type = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        descriptor = try system.socket(domain: AF_INET, type: type, protocol: CInt(IPPROTO_ICMP))
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.headerLength + 65536, alignment: 16)
    }

    deinit {
        try? system.close(descriptor)
        buffer.deallocate()
    }

    static var isAvailable: Bool { (try? ICMPDatagramIO(echoIdentifier: 0)) != nil }

    var now: ContinuousClock.Instant { .now }

    func send(_ packets: PacketBatch, _ range: Range<Int>) throws(ScanError) -> SendReport {
        var report = SendReport(consumed: 0)
        for index in range {
            let bytes = packets.packet(index)
            // Only echo requests can go out this way; the engine sends nothing else to it.
            let headerLength = Int((bytes.first ?? 0) & 0x0F) * 4
            guard bytes.count > 9, bytes[9] == 1, headerLength >= Self.headerLength, bytes.count > headerLength,
                  bytes[headerLength] == 8 else {
                report.consumed += 1
                report.refused += 1
                report.lastRefusal = "not an ICMP echo request"
                continue
            }
            do {
                try RawSyscalls.sendIPv4(descriptor, bytes, from: headerLength, to: packets.destinations[index])
            } catch {
                if error.isLocalShortage { break }
                report.refused += 1
                report.lastRefusal = error.message
            }
            report.consumed += 1
        }
        return report
    }

    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(ScanError) -> Int {
        let payload = UnsafeMutableRawBufferPointer(rebasing: buffer[Self.headerLength...])
        var count = 0
        while count < limit {
            let received: (Int, UInt32)?
            do { received = try RawSyscalls.receive(descriptor, into: payload) } catch { throw error.scanError("recvfrom") }
            guard let (length, sender) = received else { break }
            count += 1
            guard length <= payload.count, length >= 8 else { continue }
            let total = Self.headerLength + length
            let header: [UInt8] = [
                0x45, 0, UInt8(truncatingIfNeeded: total >> 8), UInt8(truncatingIfNeeded: total), 0, 0, 0, 0,
                64, 1, 0, 0,
                UInt8(truncatingIfNeeded: sender >> 24), UInt8(truncatingIfNeeded: sender >> 16),
                UInt8(truncatingIfNeeded: sender >> 8), UInt8(truncatingIfNeeded: sender), 0, 0, 0, 0,
            ]
            buffer.copyBytes(from: header)
            if buffer[Self.headerLength] == 0 {
                // The kernel matched the reply by its own identifier; show the engine its cookie.
                buffer[Self.headerLength + 4] = UInt8(truncatingIfNeeded: echoIdentifier >> 8)
                buffer[Self.headerLength + 5] = UInt8(truncatingIfNeeded: echoIdentifier)
            }
            handle(UnsafeRawBufferPointer(rebasing: buffer[..<total]))
        }
        return count
    }

    func wait(until deadline: ContinuousClock.Instant) throws(ScanError) {
        let remaining = deadline - .now
        do {
            try RawSyscalls.waitReadable(descriptor, timeout: remaining > .zero ? remaining : .zero)
        } catch {
            throw error.scanError("poll")
        }
    }
}
