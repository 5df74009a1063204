import Glibc
import PortgridCore

/// An IP address and port as the kernel wants it (sockaddr_in / sockaddr_in6), built field by field
/// in network byte order and parsed back the same way.
struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    var host: IPAddress
    var port: UInt16

    init(_ host: IPAddress, port: UInt16) {
        self.host = host
        self.port = port
    }

    var family: CInt {
        switch host {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// Reads a sockaddr_in or sockaddr_in6; nil for any other family or a short buffer.
    init?(_ raw: UnsafeRawBufferPointer) {
        guard raw.count >= MemoryLayout<sa_family_t>.size else { return nil }
        let family = CInt(raw.loadUnaligned(as: sa_family_t.self))
        switch family {
        case AF_INET where raw.count >= MemoryLayout<sockaddr_in>.size:
            let address = raw.loadUnaligned(as: sockaddr_in.self)
            host = .v4(IPv4Address(UInt32(bigEndian: address.sin_addr.s_addr)))
            port = UInt16(bigEndian: address.sin_port)
        case AF_INET6 where raw.count >= MemoryLayout<sockaddr_in6>.size:
            let address = raw.loadUnaligned(as: sockaddr_in6.self)
            let value = Swift.withUnsafeBytes(of: address.sin6_addr) { bytes in
                bytes.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
            }
            host = .v6(IPv6Address(value))
            port = UInt16(bigEndian: address.sin6_port)
        default:
            return nil
        }
    }

    /// Calls `body` with the address as sockaddr bytes of the family's exact length.
    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        switch host {
        case .v4(let v4):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: v4.value.bigEndian)
            return try Swift.withUnsafeBytes(of: &address) { (raw) throws(E) -> R in try body(raw) }
        case .v6(let v6):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            Swift.withUnsafeMutableBytes(of: &address.sin6_addr) { bytes in
                for index in 0..<16 {
                    bytes[index] = UInt8(truncatingIfNeeded: v6.value >> UInt128(8 * (15 - index)))
                }
            }
            return try Swift.withUnsafeBytes(of: &address) { (raw) throws(E) -> R in try body(raw) }
        }
    }

    var description: String {
        switch host {
        case .v4: "\(host):\(port)"
        case .v6: "[\(host)]:\(port)"
        }
    }
}
