import Glibc
import PortgridCore

/// Which local address the kernel sends from to reach each host: a UDP socket "connected" to the
/// host (no packet leaves, the route is only looked up) and getsockname. Raw probes need it
/// because with IP_HDRINCL the source address is ours to write.
/// With `-e` the socket is bound to that interface first, so the route (and the address) is the
/// interface's own.
struct RawSourceAddresses {
    private let system: any SystemCalls
    private let interface: NetworkInterface?

    init(system: any SystemCalls = LiveSystem(), interface: NetworkInterface? = nil) {
        self.system = system
        self.interface = interface
    }

    /// The source for each host, 0 where no route leads (probes to it are refused and reported lost).
    func lookup(_ hosts: [UInt32]) throws(Errno) -> [UInt32] {
        let fd = try system.socket(domain: AF_INET, type: CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue),
                                   protocol: 0)
        defer { try? system.close(fd) }
        try interface?.bind(fd, system: system)
        var cache: [UInt32: UInt32] = [:]
        return hosts.map { host in
            if let known = cache[host] { return known }
            let source = sourceAddress(fd, host)
            cache[host] = source
            return source
        }
    }

    /// The same for IPv6 hosts (0 where no route leads). A hop-including IPv6 raw socket writes
    /// our source address too, so it must be the one the route would pick.
    func lookup(_ hosts: [UInt128]) throws(Errno) -> [UInt128] {
        let fd = try system.socket(domain: AF_INET6, type: CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue),
                                   protocol: 0)
        defer { try? system.close(fd) }
        try interface?.bind(fd, system: system)
        var cache: [UInt128: UInt128] = [:]
        return hosts.map { host in
            if let known = cache[host] { return known }
            var source: UInt128 = 0
            if case .v6(let address)? = localAddress(fd, toward: .v6(IPv6Address(host))) { source = address.value }
            cache[host] = source
            return source
        }
    }

    private func sourceAddress(_ fd: CInt, _ host: UInt32) -> UInt32 {
        guard case .v4(let address)? = localAddress(fd, toward: .v4(IPv4Address(host))) else { return 0 }
        return address.value
    }

    /// The local address of `fd` once "connected" to `host`, nil when no route leads there.
    private func localAddress(_ fd: CInt, toward host: IPAddress) -> IPAddress? {
        let peer = SocketAddress(host, port: 9)
        do {
            try peer.withUnsafeBytes { (raw) throws(Errno) in try system.connect(fd, to: raw) }
        } catch {
            return nil
        }
        let local = withUnsafeTemporaryAllocation(byteCount: MemoryLayout<sockaddr_storage>.size, alignment: 16) { raw in
            (try? system.localAddress(fd, into: raw)).flatMap { SocketAddress(UnsafeRawBufferPointer(rebasing: raw[..<$0])) }
        }
        return local?.host
    }
}
