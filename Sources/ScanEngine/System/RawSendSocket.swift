import Glibc

/// The one send path: a raw IPv4 socket with IP_HDRINCL (implied by IPPROTO_RAW), so every byte
/// of every probe, IP header included, is ours; and, when the scan has IPv6 targets, its IPv6
/// twin. On Linux an AF_INET6 raw socket opened with IPPROTO_RAW implies IPV6_HDRINCL too
/// (`inet6_create` sets hdrincl for it), so IPv6 probes are whole packets as well: one writer per
/// family, the flow label and hop limit ours, and no per-protocol sockets. Non-blocking: a full
/// queue is a "try again later", never a stall of the scan thread.
final class RawSendSocket {
    let descriptor: CInt
    let ipv6Descriptor: CInt?
    private let system: any SystemCalls

    /// `interface` (`-e`): both sockets are bound to it, so probes leave by it whatever the routes say.
    init(ipv6: Bool = false, interface: NetworkInterface? = nil, system: any SystemCalls = LiveSystem()) throws(Errno) {
        self.system = system
        descriptor = try Self.open(AF_INET, interface, system)
        do {
            ipv6Descriptor = ipv6 ? try Self.open(AF_INET6, interface, system) : nil
        } catch {
            try? system.close(descriptor)
            throw error
        }
    }

    private static func open(_ family: CInt, _ interface: NetworkInterface?, _ system: any SystemCalls) throws(Errno) -> CInt {
        let type = CInt(SOCK_RAW.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        let fd = try system.socket(domain: family, type: type, protocol: CInt(IPPROTO_RAW))
        if let interface {
            do { try interface.bind(fd, system: system) } catch {
                try? system.close(fd)
                throw error
            }
        }
        var size: CInt = 4 << 20
        // A bigger queue only smooths bursts; the default works too.
        try? withUnsafeBytes(of: &size) { (raw) throws(Errno) in
            try system.setOption(fd, level: SOL_SOCKET, name: SO_SNDBUF, value: raw)
        }
        return fd
    }

    /// Sends one whole packet: an IPv4 one to `destination`, an IPv6 one (version 6 in its first
    /// nibble) to the destination in its own header.
    func send(_ packet: UnsafeRawBufferPointer, to destination: UInt32) throws(Errno) {
        if packet.count >= 40, packet[0] >> 4 == 6 {
            guard let ipv6Descriptor else { throw Errno(rawValue: EAFNOSUPPORT) }
            try RawSyscalls.sendIPv6(ipv6Descriptor, packet)
        } else {
            try RawSyscalls.sendIPv4(descriptor, packet, to: destination)
        }
    }

    deinit {
        try? system.close(descriptor)
        if let ipv6Descriptor { try? system.close(ipv6Descriptor) }
    }
}
