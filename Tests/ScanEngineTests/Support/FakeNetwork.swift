import Glibc
import Testing
import PortgridCore
import Synchronization
@testable import ScanEngine

/// A scripted network behind the syscall seam, on a manual clock: connects are answered (or not)
/// as `behaviour` says, epoll_wait advances the clock instead of sleeping, and every call is
/// checked (double closes, leaked descriptors) and counted.
final class FakeNetwork: SystemCalls, Sendable {
    enum Behaviour: Sendable, Equatable {
        /// SYN-ACK after the delay.
        case open(after: Duration)
        /// RST after the delay: ECONNREFUSED, nothing in the error queue.
        case refuse(after: Duration)
        /// An ICMP error after the delay: SO_ERROR is `errno`, the error queue holds type/code.
        case icmp(type: UInt8, code: UInt8, errno: CInt, after: Duration)
        /// SO_ERROR after the delay with no ICMP report.
        case fail(errno: CInt, after: Duration)
        /// connect() itself fails at once.
        case immediate(errno: CInt)
        /// Nothing ever comes back.
        case drop
        /// The kernel connects the socket to itself (source port == destination port).
        case selfConnect(after: Duration)
    }

    struct FakeSocket {
        var family: CInt
        var destination: SocketAddress?
        var receivesErrors = false
        var lingersWithReset = false
        var readyAt: ContinuousClock.Instant?
        var pendingError: CInt = 0
        var icmp: (type: UInt8, code: UInt8, errno: CInt, from: SocketAddress)?
        var local: SocketAddress?
        var token: UInt64?
        /// The epoll set it is in, and whether an edge is due: edge-triggered, a socket is reported
        /// once per connect, when that connect's outcome is in.
        var epoll: CInt?
        var armed = false
        /// The destination accepted (open or self-connect).
        var connects = false
    }

    struct State {
        var offset = Duration.zero
        var nextDescriptor: CInt = 10
        var sockets: [CInt: FakeSocket] = [:]
        var epollSets: Set<CInt> = []
        var attempts: [SocketAddress: Int] = [:]
        var connectOrder: [SocketAddress] = []
        var connects = 0
        var badCloses = 0
        var maxOpen = 0
        var fileLimit: (soft: UInt64, hard: UInt64) = (1024, 4096)
        var descriptorCap = Int.max
        var shortagesLeft = 0
        /// Second connects (the engine reading a failed one) to interrupt with EINTR.
        var interruptedReapsLeft = 0
        var epollWaits = 0
        var connectedClosedWithoutReset = 0
        /// Addresses sockets were bound to (`-S`, `-g`), and the options set on them, in order.
        var binds: [SocketAddress] = []
        var options: [(level: CInt, name: CInt, value: [UInt8])] = []
        var socketsOpened = 0
        var disconnects = 0
        /// Failed connects read and disconnected by a second connect().
        var reaped = 0
    }

    let base = ContinuousClock.now
    let state = Mutex(State())
    let behaviour: @Sendable (SocketAddress, Int) -> Behaviour

    /// `behaviour(destination, attempt)`; attempt 0 is the first connect to that destination.
    init(behaviour: @escaping @Sendable (SocketAddress, Int) -> Behaviour) {
        self.behaviour = behaviour
    }

    // MARK: observations

    var elapsed: Duration { state.withLock { $0.offset } }
    var openSockets: Int { state.withLock { $0.sockets.count } }
    var badCloses: Int { state.withLock { $0.badCloses } }
    var maxOpen: Int { state.withLock { $0.maxOpen } }
    var connects: Int { state.withLock { $0.connects } }
    var connectOrder: [SocketAddress] { state.withLock { $0.connectOrder } }
    var connectedClosedWithoutReset: Int { state.withLock { $0.connectedClosedWithoutReset } }
    var socketsOpened: Int { state.withLock { $0.socketsOpened } }
    var disconnects: Int { state.withLock { $0.disconnects } }
    var reaped: Int { state.withLock { $0.reaped } }
    func attempts(_ address: SocketAddress) -> Int { state.withLock { $0.attempts[address] ?? 0 } }

    /// The next `count` connects fail with EADDRNOTAVAIL (ephemeral ports exhausted).
    func failNextConnects(_ count: Int) { state.withLock { $0.shortagesLeft = count } }
    /// The next `count` second connects on a socket that has tried are interrupted (EINTR).
    func interruptNextReaps(_ count: Int) { state.withLock { $0.interruptedReapsLeft = count } }
    /// socket() fails with EMFILE while `count` sockets are open.
    func capDescriptors(_ count: Int) { state.withLock { $0.descriptorCap = count } }

    // MARK: SystemCalls

    func now() -> ContinuousClock.Instant { base + state.withLock { $0.offset } }

    func socket(domain: CInt, type: CInt, protocol: CInt) throws(Errno) -> CInt {
        try state.withLock { (s) throws(Errno) -> CInt in
            guard s.sockets.count < s.descriptorCap else { throw Errno(rawValue: EMFILE) }
            #expect(type & CInt(SOCK_NONBLOCK.rawValue) != 0, "sockets must be non-blocking")
            s.nextDescriptor += 1
            s.socketsOpened += 1
            s.sockets[s.nextDescriptor] = FakeSocket(family: domain)
            s.maxOpen = Swift.max(s.maxOpen, s.sockets.count)
            return s.nextDescriptor
        }
    }

    func bind(_ fd: CInt, to address: UnsafeRawBufferPointer) throws(Errno) {
        try state.withLock { (s) throws(Errno) in
            guard s.sockets[fd] != nil else { throw Errno(rawValue: EBADF) }
            s.binds.append(SocketAddress(address)!)
        }
    }

    func setOption(_ fd: CInt, level: CInt, name: CInt, value: UnsafeRawBufferPointer) throws(Errno) {
        try state.withLock { (s) throws(Errno) in
            guard s.sockets[fd] != nil else { throw Errno(rawValue: EBADF) }
            s.options.append((level, name, Array(value)))
            if (level == CInt(IPPROTO_IP) && name == IP_RECVERR) || (level == CInt(IPPROTO_IPV6) && name == IPV6_RECVERR) {
                s.sockets[fd]!.receivesErrors = value.load(as: CInt.self) != 0
            }
            if level == SOL_SOCKET && name == SO_LINGER {
                let linger = value.loadUnaligned(as: Glibc.linger.self)
                s.sockets[fd]!.lingersWithReset = linger.l_onoff == 1 && linger.l_linger == 0
            }
        }
    }

    func getOption(_ fd: CInt, level: CInt, name: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try state.withLock { (s) throws(Errno) -> Int in
            guard var socket = s.sockets[fd] else { throw Errno(rawValue: EBADF) }
            #expect(level == SOL_SOCKET && name == SO_ERROR)
            buffer.storeBytes(of: socket.pendingError, as: CInt.self)
            socket.pendingError = 0
            s.sockets[fd] = socket
            return MemoryLayout<CInt>.size
        }
    }

    func connect(_ fd: CInt, to address: UnsafeRawBufferPointer) throws(Errno) {
        if CInt(address.loadUnaligned(as: sa_family_t.self)) == AF_UNSPEC {
            return try disconnect(fd)
        }
        let destination = SocketAddress(address)!
        let attempt = try state.withLock { (s) throws(Errno) -> Int? in
            guard let socket = s.sockets[fd] else { throw Errno(rawValue: EBADF) }
            // Linux: a socket that has connected (or tried) reports the old outcome until it is
            // disconnected; the engine must never start a connect elsewhere on it without that.
            if let old = socket.destination {
                #expect(old == destination, "connect to \(destination) on a socket that was not disconnected")
                try Self.reap(&s, fd, now: base + s.offset)
                return nil
            }
            if s.shortagesLeft > 0 {
                s.shortagesLeft -= 1
                throw Errno(rawValue: EADDRNOTAVAIL)
            }
            let attempt = s.attempts[destination, default: 0]
            s.attempts[destination] = attempt + 1
            if attempt == 0 { s.connectOrder.append(destination) }
            s.connects += 1
            s.sockets[fd]!.destination = destination
            s.sockets[fd]!.armed = true
            s.sockets[fd]!.local = SocketAddress(destination.host, port: UInt16(truncatingIfNeeded: 40000 + Int(fd)))
            return attempt
        }
        guard let attempt else { return }
        let plan = behaviour(destination, attempt)
        try state.withLock { (s) throws(Errno) in
            let now = base + s.offset
            switch plan {
            case .open(let delay):
                s.sockets[fd]!.readyAt = now + delay
                s.sockets[fd]!.connects = true
            case .refuse(let delay):
                s.sockets[fd]!.readyAt = now + delay
                s.sockets[fd]!.pendingError = ECONNREFUSED
            case .icmp(let type, let code, let errno, let delay):
                s.sockets[fd]!.readyAt = now + delay
                s.sockets[fd]!.pendingError = errno
                if s.sockets[fd]!.receivesErrors { s.sockets[fd]!.icmp = (type, code, errno, destination) }
            case .fail(let errno, let delay):
                s.sockets[fd]!.readyAt = now + delay
                s.sockets[fd]!.pendingError = errno
            case .immediate(let errno):
                throw Errno(rawValue: errno)
            case .drop:
                break
            case .selfConnect(let delay):
                s.sockets[fd]!.readyAt = now + delay
                s.sockets[fd]!.local = destination
                s.sockets[fd]!.connects = true
            }
        }
        throw Errno(rawValue: EINPROGRESS)
    }

    /// connect() again to the same destination, as Linux answers it: EALREADY while the connect is
    /// in progress, and when an ICMP report is queued (an unreachable answer to a SYN is a soft
    /// error: the kernel keeps the connect going); success once connected; otherwise the pending
    /// error (ECONNABORTED when none), the error cleared and the socket disconnected.
    private static func reap(_ s: inout State, _ fd: CInt, now: ContinuousClock.Instant) throws(Errno) {
        let socket = s.sockets[fd]!
        if s.interruptedReapsLeft > 0 {
            s.interruptedReapsLeft -= 1
            throw Errno(rawValue: EINTR)
        }
        guard let ready = socket.readyAt, ready <= now, socket.icmp == nil else { throw Errno(rawValue: EALREADY) }
        if socket.connects { return }
        s.reaped += 1
        let error = socket.pendingError == 0 ? ECONNABORTED : socket.pendingError
        unhook(&s.sockets[fd]!)
        throw Errno(rawValue: error)
    }

    /// What a disconnect leaves of a socket that tried: new again (its error queue aside).
    private static func unhook(_ socket: inout FakeSocket) {
        socket.destination = nil
        socket.readyAt = nil
        socket.pendingError = 0
        socket.local = nil
    }

    /// connect(AF_UNSPEC): a refused or silent socket returns to new, except that an ICMP report
    /// already queued stays in its error queue until read (as Linux keeps it); one not yet arrived
    /// never will, the old connect being gone.
    private func disconnect(_ fd: CInt) throws(Errno) {
        try state.withLock { (s) throws(Errno) in
            guard let socket = s.sockets[fd] else { throw Errno(rawValue: EBADF) }
            let now = base + s.offset
            let connected = socket.connects && socket.readyAt.map { $0 <= now } == true
            #expect(!connected, "only a refused or silent socket is disconnected for reuse")
            s.disconnects += 1
            Self.unhook(&s.sockets[fd]!)
            if socket.readyAt.map({ $0 > now }) ?? true { s.sockets[fd]!.icmp = nil }
        }
    }

    func localAddress(_ fd: CInt, into buffer: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        let local = try state.withLock { (s) throws(Errno) -> SocketAddress in
            guard let local = s.sockets[fd]?.local else { throw Errno(rawValue: EBADF) }
            return local
        }
        return local.withUnsafeBytes { raw in
            buffer.copyMemory(from: raw)
            return raw.count
        }
    }

    func receiveErrorQueue(_ fd: CInt, control: UnsafeMutableRawBufferPointer) throws(Errno) -> Int {
        try state.withLock { (s) throws(Errno) -> Int in
            guard let socket = s.sockets[fd] else { throw Errno(rawValue: EBADF) }
            guard let icmp = socket.icmp else { throw Errno(rawValue: EAGAIN) }
            s.sockets[fd]!.icmp = nil
            let bytes = ControlMessages.icmpError(family: icmp.from.family, type: icmp.type, code: icmp.code,
                                                  errno: icmp.errno, offender: SocketAddress(icmp.from.host, port: 0))
            control.copyBytes(from: bytes)
            return bytes.count
        }
    }

    func close(_ fd: CInt) throws(Errno) {
        try state.withLock { (s) throws(Errno) in
            if let socket = s.sockets.removeValue(forKey: fd) {
                let established = socket.connects && socket.readyAt.map { $0 <= base + s.offset } == true
                if established && !socket.lingersWithReset { s.connectedClosedWithoutReset += 1 }
            } else if s.epollSets.remove(fd) == nil {
                s.badCloses += 1
                throw Errno(rawValue: EBADF)
            }
        }
    }

    func epollCreate() throws(Errno) -> CInt {
        state.withLock { s in
            s.nextDescriptor += 1
            s.epollSets.insert(s.nextDescriptor)
            return s.nextDescriptor
        }
    }

    func epollControl(_ epfd: CInt, operation: CInt, fd: CInt, events: UInt32, data: UInt64) throws(Errno) {
        try state.withLock { (s) throws(Errno) in
            guard s.epollSets.contains(epfd), let socket = s.sockets[fd] else { throw Errno(rawValue: EBADF) }
            guard operation == EpollEvent.controlAdd else {
                Issue.record("unexpected epoll_ctl operation \(operation)")
                throw Errno(rawValue: EINVAL)
            }
            guard socket.epoll == nil else { throw Errno(rawValue: EEXIST) }
            #expect(events & EpollEvent.edgeTriggered != 0, "probe sockets are watched edge-triggered")
            s.sockets[fd]!.epoll = epfd
            s.sockets[fd]!.token = data
            s.sockets[fd]!.armed = true
        }
    }

    /// Returns what is ready; when nothing is, moves the clock to the next answer or by the timeout.
    func epollWait(_ epfd: CInt, into events: UnsafeMutableBufferPointer<EpollEvent>,
                   timeoutMilliseconds: CInt) throws(Errno) -> Int {
        state.withLock { s in
            s.epollWaits += 1
            func ready() -> Int {
                let now = base + s.offset
                var count = 0
                for (fd, socket) in s.sockets.sorted(by: { $0.key < $1.key }) where count < events.count {
                    guard socket.epoll == epfd, socket.armed, let token = socket.token,
                          let at = socket.readyAt, at <= now else { continue }
                    let bits = socket.pendingError == 0 ? EpollEvent.writable : EpollEvent.error | EpollEvent.writable
                    events[count] = EpollEvent(events: bits, data: token)
                    // Edge-triggered: reported once until its next connect.
                    s.sockets[fd]!.armed = false
                    count += 1
                }
                return count
            }
            let found = ready()
            guard found == 0, timeoutMilliseconds > 0 else { return found }
            let limit = s.offset + .milliseconds(Int64(timeoutMilliseconds))
            let next = s.sockets.values.compactMap { $0.epoll == epfd && $0.armed ? $0.readyAt : nil }.min().map { $0 - base }
            s.offset = Swift.min(limit, Swift.max(s.offset, next ?? limit))
            return ready()
        }
    }

    func fileLimit() throws(Errno) -> (soft: UInt64, hard: UInt64) { state.withLock { $0.fileLimit } }

    func setFileLimit(soft: UInt64, hard: UInt64) throws(Errno) {
        state.withLock { $0.fileLimit = (soft, hard) }
    }
}

/// Hand-built recvmsg(MSG_ERRQUEUE) control data, byte by byte as the kernel lays it out.
enum ControlMessages {
    static func icmpError(family: CInt, type: UInt8, code: UInt8, errno: CInt, offender: SocketAddress?) -> [UInt8] {
        var data: [UInt8] = []
        append(UInt32(bitPattern: errno), to: &data)
        data += [family == AF_INET6 ? ICMPReport.originICMP6 : ICMPReport.originICMP, type, code, 0]
        append(UInt32(0), to: &data) // ee_info
        append(UInt32(0), to: &data) // ee_data
        offender?.withUnsafeBytes { data += $0 }
        let level = family == AF_INET6 ? SOL_IPV6 : SOL_IP
        let kind = family == AF_INET6 ? IPV6_RECVERR : IP_RECVERR
        return message(level: level, type: kind, data: data)
    }

    static func message(level: CInt, type: CInt, data: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        append(UInt64(ICMPReport.headerSize + data.count), to: &bytes)
        append(UInt32(bitPattern: level), to: &bytes)
        append(UInt32(bitPattern: type), to: &bytes)
        bytes += data
        while bytes.count % 8 != 0 { bytes.append(0) }
        return bytes
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value) { bytes += $0 }
    }
}
