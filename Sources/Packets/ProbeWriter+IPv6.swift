/// The IPv6 probes, written in place as the IPv4 ones are: the whole packet, 40-byte IPv6 header
/// first, for a raw AF_INET6 socket opened with IPPROTO_RAW (which on Linux implies IPV6_HDRINCL,
/// so the header is ours as on IPv4). The transport checksum covers the IPv6 pseudo-header
/// (RFC 8200 §8.1). Byte for byte the packets `PacketBuilder`'s IPv6 builders return.
extension ProbeWriter {
    public static func tcpProbe6Length(mss: Bool) -> Int { IPv6Header.length + TCPHeader.minimumLength + (mss ? 4 : 0) }

    public static func udpProbe6Length(payloadCount: Int) -> Int {
        IPv6Header.length + UDPHeader.length + min(payloadCount, PacketBuilder.maximumIPv6Payload)
    }

    public static let icmpv6EchoLength = IPv6Header.length + ICMPv6Message.headerLength

    public static func tcpProbe6(
        into buffer: UnsafeMutableRawBufferPointer, src: UInt128, dst: UInt128, srcPort: UInt16, dstPort: UInt16,
        seq: UInt32, ack: UInt32 = 0, flags: TCPFlags = .syn, window: UInt16 = 1024, mss: UInt16? = nil,
        hopLimit: UInt8 = 64, flowLabel: UInt32 = 0, badChecksum: Bool = false
    ) -> Int {
        let tcpLength = TCPHeader.minimumLength + (mss == nil ? 0 : 4)
        var (out, sum, start) = Writer.startTransport6(
            buffer, next: .tcp, length: tcpLength, src: src, dst: dst, hopLimit: hopLimit, flowLabel: flowLabel)
        out.put16(srcPort, &sum)
        out.put16(dstPort, &sum)
        out.putTCPAfterPorts(seq: seq, ack: ack, flags: flags, window: window, mss: mss, length: tcpLength, &sum)
        out.store16(Writer.finish(sum, bad: badChecksum), at: start + 16)
        return out.offset
    }

    public static func udpProbe6(
        into buffer: UnsafeMutableRawBufferPointer, src: UInt128, dst: UInt128, srcPort: UInt16, dstPort: UInt16,
        payload: UnsafeRawBufferPointer, hopLimit: UInt8 = 64, flowLabel: UInt32 = 0, badChecksum: Bool = false
    ) -> Int {
        let payload = UnsafeRawBufferPointer(rebasing: payload.prefix(PacketBuilder.maximumIPv6Payload))
        let udpLength = UDPHeader.length + payload.count
        var (out, sum, start) = Writer.startTransport6(
            buffer, next: .udp, length: udpLength, src: src, dst: dst, hopLimit: hopLimit, flowLabel: flowLabel)
        out.put16(srcPort, &sum)
        out.put16(dstPort, &sum)
        out.put16(UInt16(truncatingIfNeeded: udpLength), &sum)
        out.put16(0, &sum)
        out.putBytes(payload, &sum)
        out.store16(Writer.finishUDP(sum, bad: badChecksum), at: start + 6)
        return out.offset
    }

    public static func icmpv6Echo(
        into buffer: UnsafeMutableRawBufferPointer, src: UInt128, dst: UInt128, identifier: UInt16, sequence: UInt16,
        hopLimit: UInt8 = 64, flowLabel: UInt32 = 0, badChecksum: Bool = false
    ) -> Int {
        var (out, sum, start) = Writer.startTransport6(
            buffer, next: .icmpv6, length: ICMPv6Message.headerLength, src: src, dst: dst, hopLimit: hopLimit,
            flowLabel: flowLabel)
        out.put16(0x8000, &sum)  // type 128 (echo request), code 0
        out.put16(0, &sum)
        out.put16(identifier, &sum)
        out.put16(sequence, &sum)
        out.store16(Writer.finish(sum, bad: badChecksum), at: start + 2)
        return out.offset
    }
}

extension ProbeWriter.Writer {
    /// Starts an IPv6 transport segment of `length` bytes: checks the buffer holds it, writes the
    /// IPv6 header, and returns the pseudo-header sum (addresses, length, next header).
    static func startTransport6(
        _ buffer: UnsafeMutableRawBufferPointer, next: IPProtocol, length: Int, src: UInt128, dst: UInt128,
        hopLimit: UInt8, flowLabel: UInt32
    ) -> (ProbeWriter.Writer, sum: UInt64, start: Int) {
        precondition(buffer.count >= IPv6Header.length + length, "buffer too small for the probe")
        var out = ProbeWriter.Writer(buffer)
        var ignored: UInt64 = 0
        out.put32(6 << 28 | flowLabel & 0xF_FFFF, &ignored)
        out.put16(UInt16(truncatingIfNeeded: length), &ignored)
        out.put16(UInt16(next.rawValue) << 8 | UInt16(hopLimit), &ignored)
        var sum: UInt64 = UInt64(length) &+ UInt64(next.rawValue)
        out.put128(src, &sum)
        out.put128(dst, &sum)
        return (out, sum, out.offset)
    }

    mutating func put128(_ value: UInt128, _ sum: inout UInt64) {
        put32(UInt32(truncatingIfNeeded: value >> 96), &sum)
        put32(UInt32(truncatingIfNeeded: value >> 64), &sum)
        put32(UInt32(truncatingIfNeeded: value >> 32), &sum)
        put32(UInt32(truncatingIfNeeded: value), &sum)
    }
}
