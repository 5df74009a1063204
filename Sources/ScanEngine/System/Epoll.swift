import PortgridCore

/// One epoll set. Owns its descriptor (closed on deinit) and a reusable event buffer.
final class Epoll {
    private let system: any SystemCalls
    private let descriptor: CInt
    private let buffer: UnsafeMutableBufferPointer<EpollEvent>

    init(system: any SystemCalls, capacity: Int = 1024) throws(Errno) {
        self.system = system
        descriptor = try system.epollCreate()
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        try? system.close(descriptor)
    }

    /// Watches `socket`; `data` comes back with its events. Closing the socket removes it from the
    /// set, so the hot path has no matching remove.
    func add(_ socket: SocketDescriptor, events: UInt32, data: UInt64) throws(Errno) {
        try system.epollControl(descriptor, operation: EpollEvent.controlAdd, fd: socket.rawValue,
                                events: events, data: data)
    }

    /// Waits up to `timeout` (rounded up to whole milliseconds; zero polls) and calls `body` for
    /// each ready descriptor. When the buffer came back full it polls again, so every answer already
    /// in is seen before the caller decides anything has timed out. A signal interrupting the wait
    /// counts as "nothing ready".
    func wait(timeout: Duration, _ body: (EpollEvent) -> Void) throws(Errno) {
        var milliseconds = Self.milliseconds(timeout)
        for _ in 0..<64 {
            let count: Int
            do {
                count = try system.epollWait(descriptor, into: buffer, timeoutMilliseconds: milliseconds)
            } catch {
                if error == .interrupted { return }
                throw error
            }
            for index in 0..<count { body(buffer[index]) }
            guard count == buffer.count else { return }
            milliseconds = 0
        }
    }

    static func milliseconds(_ timeout: Duration) -> CInt {
        CInt(clamping: timeout.wholeMillisecondsRoundedUp)
    }
}
