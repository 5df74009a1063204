import Glibc
import PortgridCore

/// A raw descriptor number: copyable, so tables of in-flight sockets can hold it. Whoever stores one
/// owns closing it; `Socket` is the owning form that closes itself.
struct SocketDescriptor: Hashable, Sendable {
    var rawValue: CInt
}

/// Typed socket operations over the syscall seam.
struct SocketOperations: Sendable {
    let system: any SystemCalls
    /// `--ttl`, `-e`, `-S`, `-g` as a connect probe's socket carries them (`shape`).
    var packets = PacketOptions.standard

    /// A non-blocking, close-on-exec TCP socket of the address's family.
    func openStream(family: CInt) throws(Errno) -> SocketDescriptor {
        let type = CInt(SOCK_STREAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        return SocketDescriptor(rawValue: try system.socket(domain: family, type: type, protocol: 0))
    }

    /// A connect probe's socket: non-blocking TCP with ICMP errors queued (IP_RECVERR). The one
    /// recipe, for the loop and for the stock opened ahead of need. A socket whose option cannot be
    /// set was never handed out, so it is closed here, by its owning form, on the way out.
    func openProbe(family: CInt) throws(SocketSetupError) -> SocketDescriptor {
        let socket: Socket
        do {
            socket = Socket(try openStream(family: family), operations: self)
        } catch {
            throw SocketSetupError(call: "socket", errno: error)
        }
        do {
            try setReceiveErrors(socket.descriptor, family: family)
        } catch {
            throw SocketSetupError(call: "setsockopt", errno: error)
        }
        try shape(socket.descriptor, family: family)
        return socket.release()
    }

    /// nmap's connect scan under `--ttl`, `-e`, `-S` and `-g`: IP_TTL / IPV6_UNICAST_HOPS, then
    /// SO_BINDTODEVICE, then bind() to the source address and port, with SO_REUSEADDR so every
    /// probe socket can share the one port (their connections differ by destination).
    func shape(_ socket: SocketDescriptor, family: CInt) throws(SocketSetupError) {
        let fd = socket.rawValue
        if let ttl = packets.ttl {
            var value = CInt(ttl)
            let (level, name) = family == AF_INET6 ? (CInt(IPPROTO_IPV6), IPV6_UNICAST_HOPS) : (CInt(IPPROTO_IP), IP_TTL)
            do {
                try withUnsafeBytes(of: &value) { (raw) throws(Errno) in
                    try system.setOption(fd, level: level, name: name, value: raw)
                }
            } catch { throw SocketSetupError(call: "setsockopt(--ttl)", errno: error) }
        }
        if let name = packets.interface {
            guard let interface = NetworkInterface(named: name) else {
                throw SocketSetupError(call: "SO_BINDTODEVICE", errno: Errno(rawValue: ENODEV))
            }
            do { try interface.bind(fd, system: system) } catch {
                throw SocketSetupError(call: "SO_BINDTODEVICE", errno: error)
            }
        }
        guard packets.sourceAddress != nil || packets.sourcePort != nil else { return }
        var on: CInt = 1
        do {
            try withUnsafeBytes(of: &on) { (raw) throws(Errno) in
                try system.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: raw)
            }
        } catch { throw SocketSetupError(call: "setsockopt(SO_REUSEADDR)", errno: error) }
        let any: IPAddress = family == AF_INET6 ? .v6(IPv6Address(0)) : .v4(IPv4Address(0))
        let local = SocketAddress(packets.sourceAddress ?? any, port: packets.sourcePort ?? 0)
        do {
            try local.withUnsafeBytes { (raw) throws(Errno) in try system.bind(fd, to: raw) }
        } catch { throw SocketSetupError(call: "bind", errno: error) }
    }

    /// SO_LINGER {1, 0}: close() then sends RST, so an open port leaves no TIME_WAIT behind and the
    /// ephemeral port range never runs dry on a big scan.
    func setResetOnClose(_ socket: SocketDescriptor) throws(Errno) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        try withUnsafeBytes(of: &linger) { (raw) throws(Errno) in
            try system.setOption(socket.rawValue, level: SOL_SOCKET, name: SO_LINGER, value: raw)
        }
    }

    /// IP_RECVERR / IPV6_RECVERR: ICMP errors for this socket are queued with their type and code,
    /// which errno alone loses (port-unreach and a RST both read ECONNREFUSED).
    func setReceiveErrors(_ socket: SocketDescriptor, family: CInt) throws(Errno) {
        var on: CInt = 1
        let (level, name) = family == AF_INET6 ? (CInt(IPPROTO_IPV6), IPV6_RECVERR) : (CInt(IPPROTO_IP), IP_RECVERR)
        try withUnsafeBytes(of: &on) { (raw) throws(Errno) in
            try system.setOption(socket.rawValue, level: level, name: name, value: raw)
        }
    }

    /// Starts a connect. Returns true when it completed at once, false when it is in progress;
    /// throws the errno of an immediate failure.
    func startConnect(_ socket: SocketDescriptor, to address: SocketAddress) throws(Errno) -> Bool {
        do {
            try address.withUnsafeBytes { (raw) throws(Errno) in try system.connect(socket.rawValue, to: raw) }
            return true
        } catch {
            if error == .inProgress || error == .interrupted { return false }
            throw error
        }
    }

    /// connect(AF_UNSPEC): unhooks a socket whose connect failed, so it can connect again. Reusing a
    /// refused socket skips what socket(), IP_RECVERR, close() and the epoll add cost the kernel:
    /// most of a closed port's price on a fast link. (Linux keeps a failed socket "connecting" until
    /// told otherwise: a plain second connect would only report the old failure.)
    func disconnect(_ socket: SocketDescriptor) throws(Errno) {
        var unspecified = sockaddr()
        unspecified.sa_family = sa_family_t(AF_UNSPEC)
        try Swift.withUnsafeBytes(of: &unspecified) { (raw) throws(Errno) in
            try system.connect(socket.rawValue, to: raw)
        }
    }

    /// What a second connect() says of a socket epoll reported in error (see `reapFailedConnect`).
    enum Reaped: Equatable {
        /// The connect failed with this error; the socket is disconnected, ready to connect again.
        case failed(Errno)
        /// The connect had succeeded after all.
        case connected
        /// Still connecting: the error bit was an ICMP report queued for a connect that Linux keeps
        /// trying (an unreachable answer to a SYN is a soft error). SO_ERROR and the queue tell.
        case connecting
    }

    /// A failed connect's error read and the socket disconnected in one call. Linux answers a
    /// connect() on a socket whose non-blocking connect has ended in error with that error (clearing
    /// it, as reading SO_ERROR does) and disconnects the socket, as connect(AF_UNSPEC) would: a
    /// refused port's socket then needs neither getsockopt nor a disconnect before it carries the
    /// next probe, one call in four of a closed port's. `destination` is the socket's own: only its
    /// family is read when the socket is connecting.
    func reapFailedConnect(_ socket: SocketDescriptor, to destination: SocketAddress) -> Reaped {
        do {
            try destination.withUnsafeBytes { (raw) throws(Errno) in try system.connect(socket.rawValue, to: raw) }
            return .connected
        } catch {
            // An interrupted call said nothing of the connect: SO_ERROR tells, as for one in progress.
            return error == .alreadyInProgress || error == .inProgress || error == .interrupted
                ? .connecting : .failed(error)
        }
    }

    /// SO_ERROR: the connect's outcome, nil when it succeeded. Reading it clears it.
    func pendingError(_ socket: SocketDescriptor) throws(Errno) -> Errno? {
        var value: CInt = 0
        _ = try withUnsafeMutableBytes(of: &value) { (raw) throws(Errno) in
            try system.getOption(socket.rawValue, level: SOL_SOCKET, name: SO_ERROR, into: raw)
        }
        return value == 0 ? nil : Errno(rawValue: value)
    }

    /// The oldest ICMP report in the socket's error queue, if any. Must be read after SO_ERROR (or
    /// the connect that reaps the error): dequeuing an ICMP error resets the socket's pending error
    /// to zero.
    func icmpReport(_ socket: SocketDescriptor) -> ICMPReport? {
        withUnsafeTemporaryAllocation(byteCount: 512, alignment: 16) { control in
            guard let length = try? system.receiveErrorQueue(socket.rawValue, control: control) else { return nil }
            return ICMPReport.parse(controlMessages: UnsafeRawBufferPointer(rebasing: control[..<length]))
        }
    }

    func localAddress(_ socket: SocketDescriptor) -> SocketAddress? {
        withUnsafeTemporaryAllocation(byteCount: MemoryLayout<sockaddr_storage>.size, alignment: 16) { raw in
            guard let length = try? system.localAddress(socket.rawValue, into: raw) else { return nil }
            return SocketAddress(UnsafeRawBufferPointer(rebasing: raw[..<length]))
        }
    }

    func close(_ socket: SocketDescriptor) {
        // The descriptor is gone whatever close reports; nothing useful to do with an error here.
        try? system.close(socket.rawValue)
    }
}

/// A socket could not be opened and set up: which call failed, and why.
struct SocketSetupError: Error, Hashable, Sendable {
    var call: String
    var errno: Errno

    var scanError: ScanError { errno.scanError(call) }
}

/// A socket that closes itself when it goes out of scope, for the one-off sockets outside the hot
/// loop (the hot loop keeps descriptors in a table and closes them itself).
struct Socket: ~Copyable {
    let descriptor: SocketDescriptor
    private let operations: SocketOperations
    private var owned = true

    init(_ descriptor: SocketDescriptor, operations: SocketOperations) {
        self.descriptor = descriptor
        self.operations = operations
    }

    /// Hands the descriptor to a new owner without closing it.
    consuming func release() -> SocketDescriptor {
        owned = false
        return descriptor
    }

    deinit { if owned { operations.close(descriptor) } }
}
