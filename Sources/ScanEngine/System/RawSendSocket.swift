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
    /// sendmmsg's headers, iovecs and addresses for up to `batchLimit` packets, reused call after call.
    private let headers: UnsafeMutableRawPointer
    private let vectors: UnsafeMutablePointer<iovec>
    private let addresses: UnsafeMutableRawPointer
    /// Packets per sendmmsg at most.
    static let batchLimit = 64

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
        // After the sockets: nothing below throws, so nothing allocated here can leak.
        headers = .allocate(byteCount: Self.batchLimit * RawSyscalls.multipleHeaderStride,
                            alignment: MemoryLayout<msghdr>.alignment)
        vectors = .allocate(capacity: Self.batchLimit)
        addresses = .allocate(byteCount: Self.batchLimit * RawSyscalls.addressSlotSize, alignment: 8)
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

    /// Which socket a packet leaves by, and its address there.
    private enum Path: Equatable {
        case ipv4, ipv6, frame(EthernetNextHops.Hop)

        var isFrame: Bool { if case .frame = self { true } else { false } }
    }

    private func path(of packet: UnsafeRawBufferPointer, to destination: UInt32) -> Path {
        if packet.count >= 40, packet[0] >> 4 == 6 { return .ipv6 }
        if frameDescriptor != nil, let hop = nextHops?.hop(for: destination) { return .frame(hop) }
        return .ipv4
    }

    /// Sends `packets[range]` from the front, many per sendmmsg call (a run of packets that leave
    /// by the same socket); returns how many left. Fewer than the range when one could not: the
    /// caller sends that one alone with `send`, which says why.
    func sendMany(_ packets: PacketBatch, _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        guard RawSyscalls.canSendMany else { return 0 }
        var next = range.lowerBound
        while next < range.upperBound {
            var count = 0
            var runPath: Path?
            while count < Self.batchLimit, next + count < range.upperBound {
                let index = next + count
                let packet = UnsafeRawBufferPointer(rebasing: bytes[packets.range(of: index)])
                let path = path(of: packet, to: packets.destinations[index])
                if let runPath, runPath.isFrame != path.isFrame || (runPath == .ipv6) != (path == .ipv6) { break }
                runPath = path
                let name = addresses + count * RawSyscalls.addressSlotSize
                let length = switch path {
                case .ipv4: RawSyscalls.writeIPv4Address(packets.destinations[index], into: name)
                case .ipv6: RawSyscalls.writeIPv6Address(of: packet, into: name)
                case .frame(let hop):
                    RawSyscalls.writeLinkAddress(interfaceIndex: hop.interfaceIndex, mac: hop.mac,
                                                 protocol: RawSyscalls.ethernetIPv4, into: name)
                }
                RawSyscalls.prepareMessage(headers, count, vector: vectors + count, bytes: packet, name: name,
                                           nameLength: length)
                count += 1
            }
            let fd: CInt? = switch runPath {
            case .ipv6: ipv6Descriptor
            case .frame: frameDescriptor
            default: descriptor
            }
            guard let fd, count > 0, let sent = try? RawSyscalls.sendMany(fd, headers: headers, count: count) else {
                return next - range.lowerBound
            }
            next += sent
            if sent < count { break }
        }
        return next - range.lowerBound
    }

    deinit {
        headers.deallocate()
        vectors.deallocate()
        addresses.deallocate()
        // An AF_PACKET socket's close waits for an RCU grace period (`RawSocketCloser`): 7 to 17 ms
        // a socket at the end of every scan that sent frames, on the scan's own thread.
        if let frameDescriptor { RawSocketCloser.closeInBackground(frameDescriptor, system: system) }
        try? system.close(descriptor)
        if let ipv6Descriptor { try? system.close(ipv6Descriptor) }
    }
}
