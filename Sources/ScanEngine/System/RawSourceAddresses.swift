import Glibc
import PortgridCore
import Threads

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

    /// Hosts a lookup thread takes at the least: each lookup is a connect and a getsockname (about
    /// 3 µs, most of a /16 sweep's start), so a big list is split over the processors; a small one
    /// is not worth a thread.
    static let hostsPerThread = 16_384

    /// The source for each host, 0 where no route leads (probes to it are refused and reported lost).
    func lookup(_ hosts: [UInt32]) throws(Errno) -> [UInt32] {
        try inParallel(hosts, domain: AF_INET) { fd, host in sourceAddress(fd, host) }
    }

    /// The same for IPv6 hosts (0 where no route leads). A hop-including IPv6 raw socket writes
    /// our source address too, so it must be the one the route would pick.
    func lookup(_ hosts: [UInt128]) throws(Errno) -> [UInt128] {
        try inParallel(hosts, domain: AF_INET6) { fd, host in
            guard case .v6(let address)? = localAddress(fd, toward: .v6(IPv6Address(host))) else { return 0 }
            return address.value
        }
    }

    /// `find` for every host, each thread (`ParallelJobs`) on a socket of its own over a slice of
    /// the list.
    private func inParallel<Address: FixedWidthInteger & Sendable>(
        _ hosts: [Address], domain: CInt, _ find: @escaping @Sendable (CInt, Address) -> Address
    ) throws(Errno) -> [Address] {
        let threads = max(1, min(Self.processors, hosts.count / Self.hostsPerThread))
        let sliceLength = (hosts.count + threads - 1) / threads
        let slices = ParallelJobs.run(name: "portgrid-route", (0 ..< threads).map { index in
            { @Sendable [self] () -> Result<[Address], Errno> in
                let range = index * sliceLength ..< min(hosts.count, (index + 1) * sliceLength)
                do throws(Errno) {
                    let fd = try openSocket(domain)
                    defer { try? system.close(fd) }
                    return .success(range.map { find(fd, hosts[$0]) })
                } catch {
                    return .failure(error)
                }
            }
        })
        if slices.count == 1 { return try slices[0].get() }
        var sources: [Address] = []
        sources.reserveCapacity(hosts.count)
        for slice in slices { sources += try slice.get() }
        return sources
    }

    private func openSocket(_ domain: CInt) throws(Errno) -> CInt {
        let fd = try system.socket(domain: domain, type: CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue),
                                   protocol: 0)
        do { try interface?.bind(fd, system: system) } catch {
            try? system.close(fd)
            throw error
        }
        return fd
    }

    private static var processors: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

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
