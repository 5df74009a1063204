import Glibc
import PortgridCore

/// The one send path: a raw IPv4 socket with IP_HDRINCL (implied by IPPROTO_RAW), so every byte
/// of every probe, IP header included, is ours; and, when the scan has IPv6 targets, its IPv6
/// twin. On Linux an AF_INET6 raw socket opened with IPPROTO_RAW implies IPV6_HDRINCL too
/// (`inet6_create` sets hdrincl for it), so IPv6 probes are whole packets as well: one writer per
/// family, the flow label and hop limit ours, and no per-protocol sockets. Non-blocking: a full
/// queue is a "try again later", never a stall of the scan thread.
///
/// IPv4 probes whose route leaves by an Ethernet interface, to a next hop the kernel's neighbour
/// table knows, go instead as frames on an AF_PACKET datagram socket (the kernel adds the Ethernet
/// header): the bytes on the wire are the same, but the kernel's per-packet route lookup and IP
/// output path are skipped, which was a sixth of a SYN scan's CPU time. nmap sends so too
/// (`--send-eth`, its default on Ethernet). `EthernetNextHops` decides, per probe, which path.
final class RawSendSocket {
    let descriptor: CInt
    let ipv6Descriptor: CInt?
    /// The AF_PACKET socket for IPv4 frames, nil with `--send-ip` (or when it cannot be opened).
    private let frameDescriptor: CInt?
    private var nextHops: EthernetNextHops?
    private let system: any SystemCalls

    /// `interface` (`-e`): both sockets are bound to it, so probes leave by it whatever the routes say.
    init(ipv6: Bool = false, interface: NetworkInterface? = nil, linkLayer: LinkLayerChoice = .automatic,
         system: any SystemCalls = LiveSystem()) throws(Errno) {
        self.system = system
        descriptor = try Self.open(AF_INET, interface, system)
        do {
            ipv6Descriptor = ipv6 ? try Self.open(AF_INET6, interface, system) : nil
        } catch {
            try? system.close(descriptor)
            throw error
        }
        // The frame path is only a faster way out: without it every probe still has the IP path.
        if linkLayer != .ip, let source = try? EthernetNextHops.Source.live(interface), let frames = try? Self.openFrames(system) {
            frameDescriptor = frames
            nextHops = EthernetNextHops(source: source)
        } else {
            frameDescriptor = nil
        }
    }

    /// Protocol 0: the socket only sends (each frame names its EtherType); nothing is queued to it.
    private static func openFrames(_ system: any SystemCalls) throws(Errno) -> CInt {
        let type = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        let fd = try system.socket(domain: AF_PACKET, type: type, protocol: 0)
        var size: CInt = 4 << 20
        try? withUnsafeBytes(of: &size) { (raw) throws(Errno) in
            try system.setOption(fd, level: SOL_SOCKET, name: SO_SNDBUF, value: raw)
        }
        return fd
    }

    private static func open(_ family: CInt, _ interface: NetworkInterface?, _ system: any SystemCalls) throws(Errno) -> CInt {
        let type = CInt(SOCK_RAW.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        let fd = try system.socket(domain: family, type: type, protocol: CInt(IPPROTO_RAW))
        if let interface {
            do { try interface.bind(fd, system: system) } catch {
                try? system.close(fd)
                throw error
            }
        }
        var size: CInt = 4 << 20
        // A bigger queue only smooths bursts; the default works too.
        try? withUnsafeBytes(of: &size) { (raw) throws(Errno) in
            try system.setOption(fd, level: SOL_SOCKET, name: SO_SNDBUF, value: raw)
        }
        return fd
    }

    /// Sends one whole packet: an IPv4 one to `destination`, an IPv6 one (version 6 in its first
    /// nibble) to the destination in its own header.
    func send(_ packet: UnsafeRawBufferPointer, to destination: UInt32) throws(Errno) {
        if packet.count >= 40, packet[0] >> 4 == 6 {
            guard let ipv6Descriptor else { throw Errno(rawValue: EAFNOSUPPORT) }
            try RawSyscalls.sendIPv6(ipv6Descriptor, packet)
        } else if let frameDescriptor, let hop = nextHops?.hop(for: destination) {
            try RawSyscalls.sendFrame(frameDescriptor, packet, interfaceIndex: hop.interfaceIndex, mac: hop.mac,
                                      protocol: RawSyscalls.ethernetIPv4)
        } else {
            try RawSyscalls.sendIPv4(descriptor, packet, to: destination)
        }
    }

    /// How the last IPv4 probe to `destination` would leave: by frame to this hop, or nil (IP).
    func frameHop(for destination: UInt32) -> EthernetNextHops.Hop? {
        guard frameDescriptor != nil else { return nil }
        return nextHops?.hop(for: destination)
    }

    deinit {
        if let frameDescriptor { try? system.close(frameDescriptor) }
        try? system.close(descriptor)
        if let ipv6Descriptor { try? system.close(ipv6Descriptor) }
    }
}
