import Foundation
import Glibc

/// TCP listeners on a loopback address, non-blocking, that can tell which of them a scanner
/// connected to: a connect scan completes the handshake, so the connection waits in the accept
/// queue even after the scanner resets it. Loopback (127.0.0.0/8) only: nothing here reaches
/// another host.
final class NmapCompatListeners {
    let address: String
    private(set) var ports: [UInt16] = []
    private var descriptors: [UInt16: Int32] = [:]

    /// An address of 127.0.0.0/8 of this run's own, so scans of 127.0.0.1 by other tests (or other
    /// people's test runs on the same machine) never connect to our listeners.
    static func privateLoopbackAddress() -> String {
        "127.\(Int.random(in: 64...250)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
    }

    /// Listeners on ports the kernel picks, kept only when `accept` likes the port.
    init(count: Int, address: String = "127.0.0.1", where accept: (UInt16) -> Bool = { _ in true }) throws {
        self.address = address
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts <= count * 50 else { throw POSIXError(.EADDRNOTAVAIL) }
            let (fd, port) = try Self.listen(on: 0, address: address)
            if accept(port) { add(fd, port) } else { Glibc.close(fd) }
        }
        ports.sort()
    }

    /// Listeners on the given ports; ports already in use are skipped.
    init(ports wanted: [UInt16], address: String = "127.0.0.1") {
        self.address = address
        for port in wanted {
            if let (fd, bound) = try? Self.listen(on: port, address: address) { add(fd, bound) }
        }
        ports.sort()
    }

    deinit { close() }

    /// Ports whose listener has accepted at least one connection since the last call.
    func drainConnected() -> Set<UInt16> {
        var connected = Set<UInt16>()
        for (port, fd) in descriptors {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { break }
                Glibc.close(client)
                connected.insert(port)
            }
        }
        return connected
    }

    func close() {
        for fd in descriptors.values { Glibc.close(fd) }
        descriptors = [:]
    }

    private func add(_ fd: Int32, _ port: UInt16) {
        descriptors[port] = fd
        ports.append(port)
    }

    private static func listen(on port: UInt16, address text: String) throws -> (Int32, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(text)
        precondition(UInt32(bigEndian: address.sin_addr.s_addr) >> 24 == 127, "listeners stay on loopback")
        address.sin_port = port.bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}
