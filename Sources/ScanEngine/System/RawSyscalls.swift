import PortgridCore
import CPortgridSystem
import Glibc

/// The raw-socket calls the shared `SystemCalls` seam does not carry: AF_PACKET bind, the BPF
/// attach, datagram send and receive, poll, interface addresses. As there, errno becomes a typed
/// `Errno` right at the call. The kernel structs come from CPortgridSystem's headers, laid out
/// by the importer exactly as C does.
enum RawSyscalls {
    static let ethernetIPv4 = UInt16(ETH_P_IP)
    static let ethernetIPv6 = UInt16(ETH_P_IPV6)
    static let solPacket = CInt(SOL_PACKET)
    static let packetIgnoreOutgoing = CInt(PACKET_IGNORE_OUTGOING)

    /// Binds an AF_PACKET socket to `protocol` on one interface, or on every one (ifindex 0).
    static func bindPacketSocket(_ fd: CInt, protocol proto: UInt16, interfaceIndex: CInt = 0) throws(Errno) {
        var address = sockaddr_ll()
        address.sll_family = UInt16(AF_PACKET)
        address.sll_protocol = proto.bigEndian
        address.sll_ifindex = interfaceIndex
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_ll>.size))
            }
        }
        if status < 0 { throw Errno.current }
    }

    /// SO_ATTACH_FILTER with a classic BPF program.
    static func attachFilter(_ fd: CInt, _ program: [BPFInstruction]) throws(Errno) {
        var filter = program.map { sock_filter(code: $0.code, jt: $0.jt, jf: $0.jf, k: $0.k) }
        let status = filter.withUnsafeMutableBufferPointer { instructions in
            var fprog = sock_fprog(len: UInt16(instructions.count), filter: instructions.baseAddress)
            return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, socklen_t(MemoryLayout<sock_fprog>.size))
        }
        if status < 0 { throw Errno.current }
    }

    /// sendto with `address` (a `sockaddr_in`, `sockaddr_in6` or `sockaddr_ll`), again after EINTR.
    private static func sendOne<Address>(_ fd: CInt, _ bytes: UnsafeRawBufferPointer, to address: Address) throws(Errno) {
        var address = address
        while true {
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, CInt(MSG_DONTWAIT), $0,
                           socklen_t(MemoryLayout<Address>.size))
                }
            }
            if sent >= 0 { return }
            let error = Errno.current
            if error != .interrupted { throw error }
        }
    }

    /// One IPv4 datagram (header included) to `destination` on a raw socket.
    static func sendIPv4(_ fd: CInt, _ bytes: UnsafeRawBufferPointer, to destination: UInt32) throws(Errno) {
        try sendOne(fd, bytes, to: ipv4Address(destination))
    }

    /// One whole IPv6 packet on a header-including raw socket, to the destination its header
    /// names (bytes 24..<40; sendto wants it as an address too).
    static func sendIPv6(_ fd: CInt, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
        try sendOne(fd, bytes, to: ipv6Address(of: bytes))
    }

    /// One frame's payload (an IPv4 or IPv6 packet) on an AF_PACKET datagram socket to `mac` on
    /// interface `interfaceIndex`: the kernel writes the Ethernet header (our MAC, theirs, the
    /// EtherType `proto`) and hands the frame to the device, with no route lookup and no IP output.
    static func sendFrame(_ fd: CInt, _ bytes: UnsafeRawBufferPointer, interfaceIndex: CInt, mac: LinkAddress,
                          protocol proto: UInt16) throws(Errno) {
        try sendOne(fd, bytes, to: linkAddress(interfaceIndex: interfaceIndex, mac: mac, protocol: proto))
    }

    /// An rtnetlink socket for route requests (NETLINK_ROUTE is protocol 0).
    static func netlinkRouteSocket() throws(Errno) -> CInt {
        let fd = socket(AF_NETLINK, CInt(SOCK_RAW.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        if fd < 0 { throw Errno.current }
        return fd
    }

    /// One netlink request to the kernel: an unconnected netlink socket sends to port 0 (the
    /// kernel) when no address is given.
    static func sendToKernel(_ fd: CInt, _ bytes: UnsafeRawBufferPointer) throws(Errno) {
        while true {
            if send(fd, bytes.baseAddress, bytes.count, 0) >= 0 { return }
            let error = Errno.current
            if error != .interrupted { throw error }
        }
    }

    /// close(2) where a failure changes nothing (a deinit).
    static func closeQuietly(_ fd: CInt) { _ = close(fd) }

    /// The ARPHRD type of interface `index` (1: Ethernet, 772: loopback), nil when it cannot be read.
    static func hardwareType(ofInterface index: CInt) -> Int? {
        var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE) + 1)
        guard if_indextoname(UInt32(index), &name) != nil else { return nil }
        let path = "/sys/class/net/" + String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) },
                                                  as: UTF8.self) + "/type"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var text = [UInt8](repeating: 0, count: 16)
        let length = text.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard length > 0 else { return nil }
        return Int(String(decoding: text[..<length], as: UTF8.self).trimmingSpaceAndNewlines)
    }

    /// `bytes[from...]` to `destination` (for a datagram socket, the part after the IP header).
    static func sendIPv4(_ fd: CInt, _ bytes: [UInt8], from start: Int = 0, to destination: UInt32) throws(Errno) {
        // Array.withUnsafeBytes only rethrows untyped errors: carry the Errno out by hand.
        let failure: Errno? = bytes.withUnsafeBytes { raw in
            do throws(Errno) {
                try sendIPv4(fd, UnsafeRawBufferPointer(rebasing: raw[start...]), to: destination)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// One datagram without blocking: its full length (larger than the buffer when it was cut),
    /// or nil when nothing is waiting.
    static func receive(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int? {
        while true {
            let length = recv(fd, buffer.baseAddress, buffer.count, CInt(MSG_DONTWAIT) | CInt(MSG_TRUNC))
            if length >= 0 { return length }
            let error = Errno.current
            if error == .wouldBlock { return nil }
            if error != .interrupted { throw error }
        }
    }

    /// recvmmsg(2), looked up at run time: Glibc's Swift module leaves it (and struct mmsghdr) out.
    private typealias ReceiveMany = @convention(c) (CInt, UnsafeMutableRawPointer?, CUnsignedInt, CInt,
                                                    UnsafeMutableRawPointer?) -> CInt
    private static let receiveMany: ReceiveMany? = dlsym(nil, "recvmmsg").map { unsafeBitCast($0, to: ReceiveMany.self) }

    static var canReceiveMany: Bool { receiveMany != nil }

    /// struct mmsghdr { struct msghdr msg_hdr; unsigned int msg_len; }, padded to msghdr's alignment.
    static let messageLengthOffset = MemoryLayout<msghdr>.size
    static let multipleHeaderStride = (MemoryLayout<msghdr>.size + MemoryLayout<CUnsignedInt>.size
        + MemoryLayout<msghdr>.alignment - 1) / MemoryLayout<msghdr>.alignment * MemoryLayout<msghdr>.alignment

    /// recvmmsg without blocking into `count` prepared mmsghdr entries; 0 when nothing is waiting.
    static func receiveMany(_ fd: CInt, headers: UnsafeMutableRawPointer, count: Int) throws(Errno) -> Int {
        guard let receiveMany else { throw Errno(rawValue: ENOSYS) }
        while true {
            let received = receiveMany(fd, headers, CUnsignedInt(count), CInt(MSG_DONTWAIT), nil)
            if received >= 0 { return Int(received) }
            let error = Errno.current
            if error == .wouldBlock { return 0 }
            if error != .interrupted { throw error }
        }
    }

    /// sendmmsg(2), looked up at run time as recvmmsg is.
    private typealias SendMany = @convention(c) (CInt, UnsafeMutableRawPointer?, CUnsignedInt, CInt) -> CInt
    private static let sendMany: SendMany? = dlsym(nil, "sendmmsg").map { unsafeBitCast($0, to: SendMany.self) }

    static var canSendMany: Bool { sendMany != nil }

    /// sendmmsg without blocking of `count` prepared mmsghdr entries: how many left from the front
    /// (fewer than `count` when the next one failed; sending that one alone gives its error).
    static func sendMany(_ fd: CInt, headers: UnsafeMutableRawPointer, count: Int) throws(Errno) -> Int {
        guard let sendMany else { throw Errno(rawValue: ENOSYS) }
        while true {
            let sent = sendMany(fd, headers, CUnsignedInt(count), CInt(MSG_DONTWAIT))
            if sent >= 0 { return Int(sent) }
            let error = Errno.current
            if error != .interrupted { throw error }
        }
    }

    /// The sockaddr for each path of `RawSendSocket.sendMany`, written into `slot` (at least
    /// `addressSlotSize` bytes); returns its length.
    static let addressSlotSize = 32

    static func writeIPv4Address(_ destination: UInt32, into slot: UnsafeMutableRawPointer) -> Int {
        store(ipv4Address(destination), into: slot)
    }

    static func writeIPv6Address(of packet: UnsafeRawBufferPointer, into slot: UnsafeMutableRawPointer) -> Int {
        store(ipv6Address(of: packet), into: slot)
    }

    static func writeLinkAddress(interfaceIndex: CInt, mac: LinkAddress, protocol proto: UInt16,
                                 into slot: UnsafeMutableRawPointer) -> Int {
        store(linkAddress(interfaceIndex: interfaceIndex, mac: mac, protocol: proto), into: slot)
    }

    private static func store<Address>(_ address: Address, into slot: UnsafeMutableRawPointer) -> Int {
        slot.storeBytes(of: address, as: Address.self)
        return MemoryLayout<Address>.size
    }

    // The three destinations a probe is sent to, each built once here for sendto and sendmmsg alike.

    private static func ipv4Address(_ destination: UInt32) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: destination.bigEndian)
        return address
    }

    /// A whole IPv6 packet's destination (bytes 24..<40 of its header).
    private static func ipv6Address(of packet: UnsafeRawBufferPointer) -> sockaddr_in6 {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        withUnsafeMutableBytes(of: &address.sin6_addr) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(rebasing: packet[24..<40]))
        }
        return address
    }

    /// The kernel writes the Ethernet header from this: our MAC, `mac`, the EtherType `proto`.
    private static func linkAddress(interfaceIndex: CInt, mac: LinkAddress, protocol proto: UInt16) -> sockaddr_ll {
        var address = sockaddr_ll()
        address.sll_family = UInt16(AF_PACKET)
        address.sll_protocol = proto.bigEndian
        address.sll_ifindex = interfaceIndex
        address.sll_halen = 6
        withUnsafeMutableBytes(of: &address.sll_addr) { mac.write(into: $0) }
        return address
    }

    /// Fills mmsghdr entry `index` of `headers`: one iovec (`vector`) and the address in `name`.
    static func prepareMessage(_ headers: UnsafeMutableRawPointer, _ index: Int, vector: UnsafeMutablePointer<iovec>,
                               bytes: UnsafeRawBufferPointer, name: UnsafeMutableRawPointer, nameLength: Int) {
        vector.pointee = iovec(iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress), iov_len: bytes.count)
        var header = msghdr()
        header.msg_name = name
        header.msg_namelen = socklen_t(nameLength)
        header.msg_iov = vector
        header.msg_iovlen = 1
        headers.storeBytes(of: header, toByteOffset: index * multipleHeaderStride, as: msghdr.self)
    }

    /// Like `receive`, with the sender's IPv4 address (for datagram sockets that strip the IP header).
    static func receive(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> (Int, UInt32)? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        while true {
            let count = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, buffer.baseAddress, buffer.count, CInt(MSG_DONTWAIT) | CInt(MSG_TRUNC), $0, &length)
                }
            }
            if count >= 0 { return (count, UInt32(bigEndian: address.sin_addr.s_addr)) }
            let error = Errno.current
            if error == .wouldBlock { return nil }
            if error != .interrupted { throw error }
        }
    }

    /// Waits up to `timeout` for `fd` to become readable (returns early on EINTR).
    static func waitReadable(_ fd: CInt, timeout: Duration) throws(Errno) {
        try waitReadable([fd], timeout: timeout)
    }

    /// Waits up to `timeout` for any of `fds` to become readable (returns early on EINTR).
    static func waitReadable(_ fds: [CInt], timeout: Duration) throws(Errno) {
        var descriptors = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let status = poll(&descriptors, nfds_t(descriptors.count), CInt(min(timeout.wholeMillisecondsRoundedUp, 60_000)))
        if status < 0, Errno.current != .interrupted { throw Errno.current }
    }

    /// The IPv4 addresses configured on this machine's interfaces (in this network namespace).
    static func interfaceIPv4Addresses() throws(Errno) -> [UInt32] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw Errno.current }
        defer { freeifaddrs(list) }
        var addresses: [UInt32] = []
        var entry = list
        while let current = entry?.pointee {
            if let raw = current.ifa_addr, raw.pointee.sa_family == sa_family_t(AF_INET) {
                let address = UnsafeRawPointer(raw).loadUnaligned(as: sockaddr_in.self)
                addresses.append(UInt32(bigEndian: address.sin_addr.s_addr))
            }
            entry = current.ifa_next
        }
        return addresses
    }

    /// The IPv6 addresses configured on this machine's interfaces (in this network namespace).
    static func interfaceIPv6Addresses() throws(Errno) -> [UInt128] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { throw Errno.current }
        defer { freeifaddrs(list) }
        var addresses: [UInt128] = []
        var entry = list
        while let current = entry?.pointee {
            if let raw = current.ifa_addr, raw.pointee.sa_family == sa_family_t(AF_INET6),
               let address = SocketAddress(UnsafeRawBufferPointer(start: raw, count: MemoryLayout<sockaddr_in6>.size)),
               case .v6(let v6) = address.host {
                addresses.append(v6.value)
            }
            entry = current.ifa_next
        }
        return addresses
    }
}

private extension String {
    var trimmingSpaceAndNewlines: Substring {
        let trimmed = drop { $0 == " " || $0 == "\n" }
        return trimmed.prefix { $0 != " " && $0 != "\n" }
    }
}
