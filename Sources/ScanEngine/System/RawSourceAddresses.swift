import Glibc
import PortgridCore

/// Which local address the kernel sends from to reach each host: a UDP socket "connected" to the
/// host (no packet leaves, the route is only looked up) and getsockname. Raw probes need it
/// because with IP_HDRINCL the source address is ours to write.
struct RawSourceAddresses {
    private let system: any SystemCalls

    init(system: any SystemCalls = LiveSystem()) { self.system = system }

    /// The source for each host, 0 where no route leads (probes to it are refused and reported lost).
    func lookup(_ hosts: [UInt32]) throws(Errno) -> [UInt32] {
        let fd = try system.socket(domain: AF_INET, type: CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue),
                                   protocol: 0)
        defer { try? system.close(fd) }
        var cache: [UInt32: UInt32] = [:]
        return hosts.map { host in
            if let known = cache[host] { return known }
            let source = sourceAddress(fd, host)
            cache[host] = source
            return source
        }
    }

    private func sourceAddress(_ fd: CInt, _ host: UInt32) -> UInt32 {
        let peer = SocketAddress(.v4(IPv4Address(host)), port: 9)
        do {
            try peer.withUnsafeBytes { (raw) throws(Errno) in try system.connect(fd, to: raw) }
        } catch {
            return 0
        }
        let local = withUnsafeTemporaryAllocation(byteCount: MemoryLayout<sockaddr_storage>.size, alignment: 16) { raw in
            (try? system.localAddress(fd, into: raw)).flatMap { SocketAddress(UnsafeRawBufferPointer(rebasing: raw[..<$0])) }
        }
        guard case .v4(let address)? = local?.host else { return 0 }
        return address.value
    }
}
