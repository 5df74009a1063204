import Glibc
import PortgridCore

/// The one file of raw socket calls for version detection (as ScanEngine/System is for the port scan):
/// non-blocking stream and datagram sockets, poll with a deadline, send and recv. Errors become errno values here.
enum SocketCalls {
    /// A non-blocking socket connecting to the target; returns the descriptor once connected.
    static func connect(to host: IPAddress, port: UInt16, transport: TransportProtocol,
                        deadline: ContinuousClock.Instant) -> Result<CInt, ProbeIOError> {
        let family = host.isIPv6 ? AF_INET6 : AF_INET
        let type = (transport == .tcp ? CInt(SOCK_STREAM.rawValue) : CInt(SOCK_DGRAM.rawValue))
            | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        let fd = Glibc.socket(family, type, 0)
        guard fd >= 0 else { return .failure(.system(errno)) }
        let started = withSocketAddress(host, port) { Glibc.connect(fd, $0, $1) }
        if started != 0 && errno != EINPROGRESS {
            let error = errno
            Glibc.close(fd)
            return .failure(error == ECONNREFUSED ? .refused : .system(error))
        }
        if started != 0 {
            guard wait(fd, events: Int16(POLLOUT), until: deadline) else { Glibc.close(fd); return .failure(.timedOut) }
            var error: CInt = 0
            var length = socklen_t(MemoryLayout<CInt>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            if error != 0 { Glibc.close(fd); return .failure(error == ECONNREFUSED ? .refused : .system(error)) }
        }
        return .success(fd)
    }

    /// Waits until `fd` is ready for `events` or the deadline passes (EINTR retried). True when ready.
    static func wait(_ fd: CInt, events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            let milliseconds = CInt(min(Double(left.components.seconds) * 1000 + Double(left.components.attoseconds) / 1e15 + 1, 60_000))
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }
        }
    }

    /// Sends all of `bytes` before the deadline.
    static func send(_ fd: CInt, _ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> Result<Void, ProbeIOError> {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, CInt(MSG_NOSIGNAL)) }
            if sent >= 0 { offset += sent; continue }
            switch errno {
            case EINTR: continue
            case EAGAIN: if !wait(fd, events: Int16(POLLOUT), until: deadline) { return .failure(.timedOut) }
            case ECONNREFUSED, ECONNRESET, EPIPE: return .failure(.closed)
            default: return .failure(.system(errno))
            }
        }
        return .success(())
    }

    /// One read of at most `limit` bytes, waiting until the deadline for some.
    static func receive(_ fd: CInt, limit: Int, until deadline: ContinuousClock.Instant) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: max(1, limit))
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 { return .data(Array(buffer[0..<count])) }
            if count == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN: if !wait(fd, events: Int16(POLLIN), until: deadline) { return .timedOut }
            default: return .closed
            }
        }
    }

    static func close(_ fd: CInt) { Glibc.close(fd) }

    private static func withSocketAddress(_ host: IPAddress, _ port: UInt16,
                                          _ body: (UnsafePointer<sockaddr>, socklen_t) -> CInt) -> CInt {
        switch host {
        case .v4(let address):
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = port.bigEndian
            raw.sin_addr.s_addr = address.value.bigEndian
            return withUnsafePointer(to: &raw) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        case .v6(let address):
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_port = port.bigEndian
            var bytes = [UInt8](repeating: 0, count: 16)
            for index in 0..<16 { bytes[index] = UInt8(truncatingIfNeeded: address.value >> (120 - 8 * UInt128(index))) }
            withUnsafeMutableBytes(of: &raw.sin6_addr) { $0.copyBytes(from: bytes) }
            return withUnsafePointer(to: &raw) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        }
    }
}

enum ReadResult: Equatable {
    case data([UInt8])
    case closed
    case timedOut
}

enum ProbeIOError: Error, Equatable {
    case refused
    case timedOut
    case closed
    case tls(String)
    case system(CInt)
}
