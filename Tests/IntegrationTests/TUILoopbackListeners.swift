import Foundation
import Glibc

/// A few TCP listeners on 127.0.0.1 (ports the kernel picks), for the TUI tests to find open.
/// Loopback only: nothing here can reach another host.
final class TUILoopbackListeners {
    private(set) var ports: [UInt16] = []
    private var descriptors: [Int32] = []

    init(count: Int) throws {
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.EMFILE) }
            descriptors.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(fd, 64) == 0 else { close(); throw POSIXError(.EADDRINUSE) }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            ports.append(UInt16(bigEndian: address.sin_port))
        }
        ports.sort()
    }

    deinit { close() }

    func close() {
        for fd in descriptors { Glibc.close(fd) }
        descriptors = []
    }
}
