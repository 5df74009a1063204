import Glibc
import Synchronization

/// A UDP socket on 127.0.0.1 for raw UDP scans of loopback. Answering, it replies to every
/// datagram (an open port that speaks); silent, it only holds the port (open, but says nothing).
/// `unusedPort()` gives a port nothing is bound to, which the kernel answers with port-unreachable.
final class RawUDPResponder: @unchecked Sendable {
    let descriptor: CInt
    let port: UInt16
    let received = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var thread: pthread_t?

    struct Failure: Error { var call: String; var errno: CInt }

    /// How many bytes each reply carries.
    let replySize: Int

    init(answering: Bool, replySize: Int = 19) throws {
        let (descriptor, port) = try Self.bindLoopback()
        self.descriptor = descriptor
        self.port = port
        self.replySize = replySize
        guard answering else { return }
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let status = pthread_create(&handle, nil, { raw in
            let responder = Unmanaged<RawUDPResponder>.fromOpaque(raw!).takeRetainedValue()
            responder.serve()
            return nil
        }, box.toOpaque())
        guard status == 0 else {
            box.release()
            throw Failure(call: "pthread_create", errno: status)
        }
        thread = handle
    }

    deinit { Glibc.close(descriptor) }

    /// Stops the reply thread (bounded by its 50 ms poll) and closes the socket.
    func stop() {
        stopping.store(true, ordering: .releasing)
        if let thread { pthread_join(thread, nil) }
        thread = nil
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 2048)
        while !stopping.load(ordering: .acquiring) {
            var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptorSet, 1, 50) > 0 else { continue }
            var peer = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, &buffer, buffer.count, CInt(MSG_DONTWAIT), $0, &length)
                }
            }
            guard count >= 0 else { continue }
            received.add(1, ordering: .relaxed)
            let reply = [UInt8](repeating: UInt8(ascii: "r"), count: replySize)
            _ = withUnsafePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, reply, reply.count, 0, $0, length)
                }
            }
        }
    }

    static func bindLoopback() throws -> (CInt, UInt16) {
        let descriptor = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket", errno: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let failure = Failure(call: "bind", errno: errno)
            Glibc.close(descriptor)
            throw failure
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    /// A loopback UDP port nothing holds: bound for a moment by the kernel's choice, then freed.
    static func unusedPort() throws -> UInt16 {
        let (descriptor, port) = try bindLoopback()
        Glibc.close(descriptor)
        return port
    }
}
