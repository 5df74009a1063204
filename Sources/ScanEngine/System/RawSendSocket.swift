import Glibc

/// The one send path: a raw IPv4 socket with IP_HDRINCL (implied by IPPROTO_RAW), so every byte
/// of every probe, IP header included, is ours. Non-blocking: a full queue is a "try again later",
/// never a stall of the scan thread.
final class RawSendSocket {
    let descriptor: CInt
    private let system: any SystemCalls

    init(system: any SystemCalls = LiveSystem()) throws(Errno) {
        self.system = system
        let type = CInt(SOCK_RAW.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        descriptor = try system.socket(domain: AF_INET, type: type, protocol: CInt(IPPROTO_RAW))
        var size: CInt = 4 << 20
        // A bigger queue only smooths bursts; the default works too.
        try? withUnsafeBytes(of: &size) { (raw) throws(Errno) in
            try system.setOption(descriptor, level: SOL_SOCKET, name: SO_SNDBUF, value: raw)
        }
    }

    func send(_ packet: UnsafeRawBufferPointer, to destination: UInt32) throws(Errno) {
        try RawSyscalls.sendIPv4(descriptor, packet, to: destination)
    }

    deinit { try? system.close(descriptor) }
}
