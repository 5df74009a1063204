import Glibc
import PortgridCore

/// `-e IFACE`: the interface probes leave by and replies are read from. Its index (for the
/// AF_PACKET receive sockets) and SO_BINDTODEVICE (for the send, route-lookup and connect sockets,
/// which then route only through it and take its address as their source).
public struct NetworkInterface: Hashable, Sendable {
    public let name: String
    public let index: CInt

    /// The interface called `name`, nil when this host has none (checked before a scan starts, so
    /// a typo is one line, not a failed scan).
    public init?(named name: String) {
        guard !name.isEmpty, name.utf8.count < Int(IF_NAMESIZE) else { return nil }
        let index = if_nametoindex(name)
        guard index != 0 else { return nil }
        self.name = name
        self.index = CInt(index)
    }

    /// `-e` of `options`, nil when not given; an unknown name fails the scan in one line (the
    /// command checks it earlier too).
    static func chosen(_ options: PacketOptions) throws(ScanError) -> NetworkInterface? {
        guard let name = options.interface else { return nil }
        guard let interface = NetworkInterface(named: name) else {
            throw ScanError.unsupported("-e: this host has no interface named '\(name)'")
        }
        return interface
    }

    /// The interface called `name` carries Ethernet frames (ARPHRD_ETHER; loopback, tunnels and
    /// the like do not).
    public static func isEthernet(named name: String) -> Bool {
        guard let interface = NetworkInterface(named: name) else { return false }
        return RawSyscalls.hardwareType(ofInterface: interface.index) == 1
    }

    /// SO_BINDTODEVICE on `fd`: its packets leave by this interface only.
    func bind(_ fd: CInt, system: any SystemCalls) throws(Errno) {
        var bytes = Array(name.utf8)
        bytes.append(0)
        let outcome: Result<Void, Errno> = bytes.withUnsafeBytes { raw in
            Result { () throws(Errno) in try system.setOption(fd, level: SOL_SOCKET, name: SO_BINDTODEVICE, value: raw) }
        }
        try outcome.get()
    }
}
