import Glibc
import PortgridCore

/// A TCP socket on a loopback ephemeral port, for scans of this machine. Listening, it is an open
/// port; bound but not listening, it holds a port no one else can take, which answers RST: a closed
/// port with no race against other processes.
final class LoopbackListener {
    let descriptor: CInt
    let port: UInt16
    let address: IPAddress

    struct Failure: Error { var call: String; var errno: CInt }

    init(listening: Bool, ipv6: Bool = false) throws {
        let family = ipv6 ? AF_INET6 : AF_INET
        let descriptor = Glibc.socket(family, CInt(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(call: "socket", errno: errno) }
        self.descriptor = descriptor
        address = ipv6 ? IPAddress("::1")! : IPAddress("127.0.0.1")!
        var storage = sockaddr_storage()
        var length: socklen_t
        if ipv6 {
            var raw = sockaddr_in6()
            raw.sin6_family = sa_family_t(AF_INET6)
            raw.sin6_addr = in6addr_loopback
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeBytes(of: raw) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
        } else {
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeBytes(of: raw) { bytes in withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: bytes) } }
        }
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else {
            let failure = Failure(call: "bind", errno: errno)
            Glibc.close(descriptor)
            throw failure
        }
        if listening { Glibc.listen(descriptor, 512) }
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let bytes = withUnsafeBytes(of: storage) { Array($0) }
        port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
    }

    deinit { Glibc.close(descriptor) }

    /// Whether ::1 can be bound here (IPv6 may be disabled in a container).
    static var ipv6Available: Bool { (try? LoopbackListener(listening: false, ipv6: true)) != nil }
}
