import Glibc

/// The one receive path: an AF_PACKET datagram socket (IP header first, link header stripped) on
/// every interface, loopback included, with the reply filter attached before it is bound, so not
/// one unfiltered packet is ever queued. It sees replies before the local firewall does, as
/// libpcap would. One per family (bound to ETH_P_IP or ETH_P_IPV6): AF_PACKET, not an AF_INET6
/// raw socket, for IPv6 too, because only it delivers the IPv6 header (the source address, the
/// hop limit, the flow label our probes are marked with, any extension headers).
final class RawReceiveSocket {
    let descriptor: CInt
    private let system: any SystemCalls
    /// Datagrams are read many per call (recvmmsg) into fixed slots; one reply is a few dozen
    /// bytes, and a longer one (a big UDP answer) is cut to the slot, which keeps its headers.
    static let slotCount = 64
    static let slotSize = 2048
    private let slots: UnsafeMutableRawBufferPointer
    private let vectors: UnsafeMutableBufferPointer<iovec>
    private let headers: UnsafeMutableRawBufferPointer

    /// `interfaceIndex` (`-e`): only that interface's packets; 0, every interface.
    init(filter: [BPFInstruction], ethernetProtocol: UInt16 = RawSyscalls.ethernetIPv4, interfaceIndex: CInt = 0,
         system: any SystemCalls = LiveSystem()) throws(Errno) {
        self.system = system
        let type = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        // Protocol 0: the socket receives nothing until bind names one, after the filter is on.
        let fd = try system.socket(domain: AF_PACKET, type: type, protocol: 0)
        descriptor = fd
        slots = .allocate(byteCount: Self.slotCount * Self.slotSize, alignment: 16)
        vectors = .allocate(capacity: Self.slotCount)
        headers = .allocate(byteCount: Self.slotCount * RawSyscalls.multipleHeaderStride,
                            alignment: MemoryLayout<msghdr>.alignment)
        headers.initializeMemory(as: UInt8.self, repeating: 0)
        for index in 0..<Self.slotCount {
            vectors[index] = iovec(iov_base: slots.baseAddress! + index * Self.slotSize, iov_len: Self.slotSize)
            var header = msghdr()
            header.msg_iov = vectors.baseAddress! + index
            header.msg_iovlen = 1
            headers.storeBytes(of: header, toByteOffset: index * RawSyscalls.multipleHeaderStride, as: msghdr.self)
        }
        do {
            try RawSyscalls.attachFilter(fd, filter)
            var on: CInt = 1
            // Linux 4.20+: our own probes never even reach the filter. Older kernels rely on the
            // filter's packet-type test.
            try? withUnsafeBytes(of: &on) { (raw) throws(Errno) in
                try system.setOption(fd, level: RawSyscalls.solPacket, name: RawSyscalls.packetIgnoreOutgoing, value: raw)
            }
            var size: CInt = 32 << 20
            // FORCE needs CAP_NET_ADMIN; without it the plain option is capped by rmem_max.
            do {
                try withUnsafeBytes(of: &size) { (raw) throws(Errno) in
                    try system.setOption(fd, level: SOL_SOCKET, name: SO_RCVBUFFORCE, value: raw)
                }
            } catch {
                try? withUnsafeBytes(of: &size) { (raw) throws(Errno) in
                    try system.setOption(fd, level: SOL_SOCKET, name: SO_RCVBUF, value: raw)
                }
            }
            try RawSyscalls.bindPacketSocket(fd, protocol: ethernetProtocol, interfaceIndex: interfaceIndex)
        } catch {
            slots.deallocate()
            vectors.deallocate()
            headers.deallocate()
            try? system.close(fd)
            throw error
        }
    }

    /// Calls `handle` with each waiting datagram, at most `limit`; returns how many.
    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(Errno) -> Int {
        var count = 0
        while count < limit {
            let wanted = min(Self.slotCount, limit - count)
            var received = 0
            if RawSyscalls.canReceiveMany {
                received = try RawSyscalls.receiveMany(descriptor, headers: headers.baseAddress!, count: wanted)
            } else {
                while received < wanted {
                    let start = received * Self.slotSize
                    let slot = UnsafeMutableRawBufferPointer(rebasing: slots[start ..< start + Self.slotSize])
                    let length: Int? = try RawSyscalls.receive(descriptor, into: slot)
                    guard let length else { break }
                    setReceived(slot: received, length: min(length, Self.slotSize), truncated: length > Self.slotSize)
                    received += 1
                }
            }
            for index in 0..<received {
                let (length, truncated) = receivedLength(slot: index)
                let slot = UnsafeMutableRawBufferPointer(rebasing: slots[index * Self.slotSize ..< index * Self.slotSize + length])
                if truncated { Self.trimLengths(slot) }
                handle(UnsafeRawBufferPointer(slot))
            }
            count += received
            if received < wanted { break }
        }
        return count
    }

    private func receivedLength(slot index: Int) -> (Int, Bool) {
        let base = index * RawSyscalls.multipleHeaderStride
        let length = Int(headers.load(fromByteOffset: base + RawSyscalls.messageLengthOffset, as: CUnsignedInt.self))
        let header = headers.load(fromByteOffset: base, as: msghdr.self)
        return (min(length, Self.slotSize), header.msg_flags & CInt(MSG_TRUNC) != 0)
    }

    private func setReceived(slot index: Int, length: Int, truncated: Bool) {
        let base = index * RawSyscalls.multipleHeaderStride
        headers.storeBytes(of: CUnsignedInt(length), toByteOffset: base + RawSyscalls.messageLengthOffset,
                           as: CUnsignedInt.self)
        var header = headers.load(fromByteOffset: base, as: msghdr.self)
        header.msg_flags = truncated ? CInt(MSG_TRUNC) : 0
        headers.storeBytes(of: header, toByteOffset: base, as: msghdr.self)
    }

    /// A datagram cut to its slot: its IPv4 total length or IPv6 payload length (and a UDP
    /// length directly after the fixed header) are set to what was kept, so the parser reads the
    /// headers, which is all a reply needs, instead of refusing it.
    static func trimLengths(_ datagram: UnsafeMutableRawBufferPointer) {
        if datagram.count >= 40, datagram[0] >> 4 == 6 {
            let kept = UInt16(truncatingIfNeeded: datagram.count - 40)
            datagram[4] = UInt8(kept >> 8)
            datagram[5] = UInt8(truncatingIfNeeded: kept)
            guard datagram[6] == 17, datagram.count >= 48 else { return }
            datagram[44] = UInt8(kept >> 8)
            datagram[45] = UInt8(truncatingIfNeeded: kept)
            return
        }
        guard datagram.count >= 20, datagram[0] >> 4 == 4 else { return }
        let kept = UInt16(datagram.count)
        datagram[2] = UInt8(kept >> 8)
        datagram[3] = UInt8(truncatingIfNeeded: kept)
        let headerLength = Int(datagram[0] & 0x0F) * 4
        guard datagram[9] == 17, datagram.count >= headerLength + 8 else { return }
        let udpLength = UInt16(datagram.count - headerLength)
        datagram[headerLength + 4] = UInt8(udpLength >> 8)
        datagram[headerLength + 5] = UInt8(truncatingIfNeeded: udpLength)
    }

    deinit {
        RawSocketCloser.closeInBackground(descriptor, system: system)
        slots.deallocate()
        vectors.deallocate()
        headers.deallocate()
    }
}
