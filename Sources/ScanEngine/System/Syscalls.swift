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
        try check(LinuxEpoll.create(O_CLOEXEC))
    }

    func epollControl(_ epfd: CInt, operation: CInt, fd: CInt, events: UInt32, data: UInt64) throws(Errno) {
        var raw = LinuxEpoll.RawEvent()
        raw.store(EpollEvent(events: events, data: data))
        _ = try check(withUnsafeMutableBytes(of: &raw) { LinuxEpoll.control(epfd, operation, fd, $0.baseAddress) })
    }

    func epollWait(_ epfd: CInt, into events: UnsafeMutableBufferPointer<EpollEvent>,
                   timeoutMilliseconds: CInt) throws(Errno) -> Int {
        let stride = MemoryLayout<LinuxEpoll.RawEvent>.stride
        return try withUnsafeTemporaryAllocation(byteCount: stride * events.count, alignment: 8) {
            (raw) throws(Errno) -> Int in
            let count = Int(try check(LinuxEpoll.wait(epfd, raw.baseAddress, CInt(events.count), timeoutMilliseconds)))
            for index in 0..<count {
                events[index] = raw.loadUnaligned(fromByteOffset: index * stride, as: LinuxEpoll.RawEvent.self).load()
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

/// epoll as the kernel defines it. Swift's Glibc module does not export <sys/epoll.h>, so the three
/// calls are looked up once with dlsym and called through C function pointers (a real C calling
/// convention, unlike `@_silgen_name`), and `struct epoll_event` is laid out by hand.
enum LinuxEpoll {
    typealias CreateFunction = @convention(c) (CInt) -> CInt
    typealias ControlFunction = @convention(c) (CInt, CInt, CInt, UnsafeMutableRawPointer?) -> CInt
    typealias WaitFunction = @convention(c) (CInt, UnsafeMutableRawPointer?, CInt, CInt) -> CInt

    static let create = unsafeBitCast(symbol("epoll_create1"), to: CreateFunction.self)
    static let control = unsafeBitCast(symbol("epoll_ctl"), to: ControlFunction.self)
    static let wait = unsafeBitCast(symbol("epoll_wait"), to: WaitFunction.self)

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("libc has no \(name): this is not Linux")
        }
        return address
    }

    /// `struct epoll_event { uint32_t events; epoll_data_t data; }` is packed on x86-64 (12 bytes,
    /// data at offset 4) and naturally aligned elsewhere (16 bytes, data at offset 8).
    struct RawEvent {
        #if arch(x86_64)
        var bytes: (UInt32, UInt32, UInt32) = (0, 0, 0)
        static let dataOffset = 4
        #else
        var bytes: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0)
        static let dataOffset = 8
        #endif

        mutating func store(_ event: EpollEvent) {
            withUnsafeMutableBytes(of: &bytes) { raw in
                raw.storeBytes(of: event.events, toByteOffset: 0, as: UInt32.self)
                raw.storeBytes(of: event.data, toByteOffset: Self.dataOffset, as: UInt64.self)
            }
        }

        func load() -> EpollEvent {
            withUnsafeBytes(of: bytes) { raw in
                EpollEvent(events: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self),
                           data: raw.loadUnaligned(fromByteOffset: Self.dataOffset, as: UInt64.self))
            }
        }
    }
}

/// One ready descriptor from epoll_wait: its event bits and the caller's data word.
struct EpollEvent: Hashable, Sendable {
    var events: UInt32
    var data: UInt64

    // <sys/epoll.h>
    static let readable: UInt32 = 0x001
    static let writable: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let controlAdd: CInt = 1
    static let controlDelete: CInt = 2

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
