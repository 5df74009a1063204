import Foundation
import Glibc

/// Loopback TCP servers that greet each connection with a fixed banner and close it: an SSH
/// server's greeting for -sV to name, and a hostile one whose bytes are terminal escapes and NULs.
/// `delay` holds each greeting back, as a slow daemon does. 127.0.0.1 only; each server's thread ends
/// when the server is closed.
final class TUIBannerServers: @unchecked Sendable {
    static let ssh = Array("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".utf8)
    /// Clear the screen, home the cursor, red text, a NUL, a C1 CSI and a bell.
    static let hostile: [UInt8] = Array("\u{1B}[2J\u{1B}[H\u{1B}[31mPWNED".utf8) + [0x00, 0x9B, 0x07, 0x0D, 0x0A]

    private(set) var ports: [UInt16] = []
    private var descriptors: [Int32] = []
    private let lock = NSLock()

    init(banners: [[UInt8]], delay: Duration = .zero) throws {
        let delayMicroseconds = useconds_t(delay / .microseconds(1))
        for banner in banners {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.EMFILE) }
            descriptors.append(fd)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(fd, 64) == 0 else { close(); throw POSIXError(.EADDRINUSE) }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            ports.append(UInt16(bigEndian: address.sin_port))
            let thread = Thread {
                while true {
                    let client = accept(fd, nil, nil)
                    guard client >= 0 else { return } // closed: the test is over
                    if delayMicroseconds > 0 { usleep(delayMicroseconds) }
                    _ = banner.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    // Lingers briefly, as a daemon waiting for the client's greeting, then hangs up.
                    usleep(200_000)
                    Glibc.close(client)
                }
            }
            thread.start()
        }
    }

    deinit { close() }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        for fd in descriptors {
            shutdown(fd, Int32(SHUT_RDWR))
            Glibc.close(fd)
        }
        descriptors = []
    }
}
