import CPortgridSystem
import Glibc
import PortgridCore

/// The seam between the engine and the kernel. Every raw call the engine makes goes through one of
/// these methods, and errno becomes a typed `Errno` right here, at a single border, as swift-system
/// does. Tests swap in a fake (a scripted network with a manual clock) to drive the engine's timeout,
/// retry and back-off logic without sockets or sleeping.
protocol SystemCalls: Sendable {
    /// Monotonic time: part of the seam so a fake network can run a scan on a manual clock.
    func now() -> ContinuousClock.Instant

    func socket(domain: CInt, type: CInt, protocol: CInt) throws(Errno) -> CInt
    func setOption(_ fd: CInt, level: CInt, name: CInt, value: UnsafeRawBufferPointer) throws(Errno)
    /// Returns the number of bytes the kernel wrote.
    func getOption(_ fd: CInt, level: CInt, name: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int
    func connect(_ fd: CInt, to address: UnsafeRawBufferPointer) throws(Errno)
    /// bind: `-S` and `-g` on a connect probe's socket.
    func bind(_ fd: CInt, to address: UnsafeRawBufferPointer) throws(Errno)
    /// getsockname: returns the address length written.
    func localAddress(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int
    /// recvmsg(MSG_ERRQUEUE | MSG_DONTWAIT): returns the control-message bytes written.
    func receiveErrorQueue(_ fd: CInt, control: UnsafeMutableRawBufferPointer) throws(Errno) -> Int
    func close(_ fd: CInt) throws(Errno)

    func epollCreate() throws(Errno) -> CInt
    func epollControl(_ epfd: CInt, operation: CInt, fd: CInt, events: UInt32, data: UInt64) throws(Errno)
    /// Fills `events` with ready descriptors; returns how many.
    func epollWait(_ epfd: CInt, into events: UnsafeMutableBufferPointer<EpollEvent>,
                   timeoutMilliseconds: CInt) throws(Errno) -> Int

    func fileLimit() throws(Errno) -> (soft: UInt64, hard: UInt64)
    func setFileLimit(soft: UInt64, hard: UInt64) throws(Errno)
}

/// Name lookups: libc calls too, behind their own seam so the resolver is tested with fixed answers.
protocol NameService: Sendable {
    /// getaddrinfo, in the order the resolver library returns them (RFC 6724 preference).
    func addresses(of name: String) throws(NameLookupFailure) -> [IPAddress]
    /// getnameinfo with NI_NAMEREQD: nil when the address has no name.
    func name(of address: IPAddress) -> String?
}

struct NameLookupFailure: Error, Equatable, Sendable {
    var code: CInt
    var message: String
}

/// The real kernel.
struct LiveSystem: SystemCalls, NameService {
    func now() -> ContinuousClock.Instant { .now }

    func socket(domain: CInt, type: CInt, protocol proto: CInt) throws(Errno) -> CInt {
        try check(Glibc.socket(domain, type, proto))
    }

    func setOption(_ fd: CInt, level: CInt, name: CInt, value: UnsafeRawBufferPointer) throws(Errno) {
        _ = try check(setsockopt(fd, level, name, value.baseAddress, socklen_t(value.count)))
    }

    func getOption(_ fd: CInt, level: CInt, name: CInt,
                   into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        var length = socklen_t(buffer.count)
        _ = try check(getsockopt(fd, level, name, buffer.baseAddress, &length))
        return Int(length)
    }

    func connect(_ fd: CInt, to address: UnsafeRawBufferPointer) throws(Errno) {
        let raw = address.baseAddress!.assumingMemoryBound(to: sockaddr.self)
        _ = try check(Glibc.connect(fd, raw, socklen_t(address.count)))
    }

    func bind(_ fd: CInt, to address: UnsafeRawBufferPointer) throws(Errno) {
        let raw = address.baseAddress!.assumingMemoryBound(to: sockaddr.self)
        _ = try check(Glibc.bind(fd, raw, socklen_t(address.count)))
    }

    func localAddress(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        var length = socklen_t(buffer.count)
        let raw = buffer.baseAddress!.assumingMemoryBound(to: sockaddr.self)
        _ = try check(getsockname(fd, raw, &length))
        return Int(length)
    }

    func receiveErrorQueue(_ fd: CInt, control: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        var message = msghdr()
        message.msg_control = control.baseAddress
        message.msg_controllen = control.count
        let received = recvmsg(fd, &message, CInt(MSG_ERRQUEUE | MSG_DONTWAIT))
        if received < 0 { throw Errno.current }
        return Int(message.msg_controllen)
    }

    func close(_ fd: CInt) throws(Errno) {
        // Linux always releases the descriptor, even when close reports EINTR: never retry it.
        _ = try check(Glibc.close(fd))
    }

    func epollCreate() throws(Errno) -> CInt {
        try check(epoll_create1(CInt(EPOLL_CLOEXEC)))
    }

    func epollControl(_ epfd: CInt, operation: CInt, fd: CInt, events: UInt32, data: UInt64) throws(Errno) {
        var event = epoll_event()
        event.events = events
        event.data.u64 = data
        _ = try check(epoll_ctl(epfd, operation, fd, &event))
    }

    func epollWait(_ epfd: CInt, into events: UnsafeMutableBufferPointer<EpollEvent>,
                   timeoutMilliseconds: CInt) throws(Errno) -> Int {
        // The kernel fills C `epoll_event`s (packed on x86-64); the seam hands out plain values so
        // fakes never deal with the C layout.
        try withUnsafeTemporaryAllocation(of: epoll_event.self, capacity: events.count) {
            (ready) throws(Errno) -> Int in
            let count = Int(try check(epoll_wait(epfd, ready.baseAddress, CInt(ready.count), timeoutMilliseconds)))
            for index in 0..<count {
                events[index] = EpollEvent(events: ready[index].events, data: ready[index].data.u64)
            }
            return count
        }
    }

    func fileLimit() throws(Errno) -> (soft: UInt64, hard: UInt64) {
        var limit = rlimit()
        _ = try check(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit))
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    func setFileLimit(soft: UInt64, hard: UInt64) throws(Errno) {
        var limit = rlimit(rlim_cur: rlim_t(soft), rlim_max: rlim_t(hard))
        _ = try check(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit))
    }

    func addresses(of name: String) throws(NameLookupFailure) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = CInt(SOCK_STREAM.rawValue)
        // No AI_ADDRCONFIG: it hides every answer on a machine (or namespace) whose only addresses
        // are loopback ones, and the resolver already prefers IPv4.
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0 else {
            let text = status == EAI_SYSTEM ? Errno.current.message : String(cString: gai_strerror(status))
            throw NameLookupFailure(code: status, message: text)
        }
        defer { freeaddrinfo(list) }
        var found: [IPAddress] = []
        var entry = list
        while let info = entry?.pointee {
            if let raw = info.ai_addr,
               let address = SocketAddress(UnsafeRawBufferPointer(start: raw, count: Int(info.ai_addrlen))) {
                found.append(address.host)
            }
            entry = info.ai_next
        }
        return found
    }

    func name(of address: IPAddress) -> String? {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = SocketAddress(address, port: 0).withUnsafeBytes { raw in
            getnameinfo(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count),
                        &host, socklen_t(host.count), nil, 0, NI_NAMEREQD)
        }
        guard status == 0 else { return nil }
        return String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func check<T: BinaryInteger>(_ result: T) throws(Errno) -> T {
        if result < 0 { throw Errno.current }
        return result
    }
}

/// One ready descriptor from epoll_wait: its event bits and the caller's data word.
struct EpollEvent: Hashable, Sendable {
    var events: UInt32
    var data: UInt64

    static let readable = EPOLLIN.rawValue
    static let writable = EPOLLOUT.rawValue
    static let error = EPOLLERR.rawValue
    static let hangUp = EPOLLHUP.rawValue
    static let controlAdd = EPOLL_CTL_ADD
    static let controlDelete = EPOLL_CTL_DEL
    static let edgeTriggered = EPOLLET.rawValue

    var isWritable: Bool { events & Self.writable != 0 }
    var hasError: Bool { events & (Self.error | Self.hangUp) != 0 }
}

extension Errno {
    /// The calling thread's errno, read immediately after a failed call.
    static var current: Errno { Errno(rawValue: Glibc.errno) }

    /// strerror's text (thread-safe strerror_r, the XSI flavour Swift's Glibc imports).
    var message: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard strerror_r(rawValue, &buffer, buffer.count) == 0 else { return "errno \(rawValue)" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
