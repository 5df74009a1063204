import Glibc

/// The one receive path: an AF_PACKET datagram socket (IP header first, link header stripped) on
/// every interface, loopback included, with the reply filter attached before it is bound, so not
/// one unfiltered packet is ever queued. It sees replies before the local firewall does, as
/// libpcap would.
final class RawReceiveSocket {
    let descriptor: CInt
    private let system: any SystemCalls
    /// Big enough for any datagram loopback can carry, so nothing arrives cut.
    private let buffer: UnsafeMutableRawBufferPointer

    init(filter: [BPFInstruction], system: any SystemCalls = LiveSystem()) throws(Errno) {
        self.system = system
        let type = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        // Protocol 0: the socket receives nothing until bind names one, after the filter is on.
        let fd = try system.socket(domain: AF_PACKET, type: type, protocol: 0)
        descriptor = fd
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536 + 64, alignment: 16)
        do {
            try RawSyscalls.attachFilter(fd, filter)
            var on: CInt = 1
            // Linux 4.20+: our own probes never even reach the filter. Older kernels rely on the
            // filter's packet-type test.
            try? withUnsafeBytes(of: &on) { (raw) throws(Errno) in
                try system.setOption(fd, level: RawSyscalls.solPacket, name: RawSyscalls.packetIgnoreOutgoing, value: raw)
            }
            var size: CInt = 32 << 20
            // FORCE needs CAP_NET_ADMIN; without it the plain option is capped by rmem_max.
            do {
                try withUnsafeBytes(of: &size) { (raw) throws(Errno) in
                    try system.setOption(fd, level: SOL_SOCKET, name: SO_RCVBUFFORCE, value: raw)
                }
            } catch {
                try? withUnsafeBytes(of: &size) { (raw) throws(Errno) in
                    try system.setOption(fd, level: SOL_SOCKET, name: SO_RCVBUF, value: raw)
                }
            }
            try RawSyscalls.bindPacketSocket(fd, protocol: RawSyscalls.ethernetIPv4)
        } catch {
            buffer.deallocate()
            try? system.close(fd)
            throw error
        }
    }

    /// Calls `handle` with each waiting datagram, at most `limit`; returns how many.
    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(Errno) -> Int {
        var count = 0
        while count < limit {
            let length: Int? = try RawSyscalls.receive(descriptor, into: buffer)
            guard let length else { break }
            count += 1
            // A datagram cut short cannot be parsed whole; it is not one of our replies anyway.
            if length <= buffer.count { handle(UnsafeRawBufferPointer(rebasing: buffer[..<length])) }
        }
        return count
    }

    deinit {
        try? system.close(descriptor)
        buffer.deallocate()
    }
}
