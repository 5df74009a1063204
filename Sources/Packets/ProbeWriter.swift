/// `PacketBuilder`'s IPv4 probes written in place, into memory the caller owns, instead of returned
/// as new arrays: a raw scanner sends tens of thousands a second and packs a batch of them into one
/// buffer, so a probe costs a few stores and a checksum over its 40-odd bytes, not an allocation.
/// Byte for byte the packets `PacketBuilder` returns for the same arguments.
public enum ProbeWriter {
    /// Bytes `tcpProbe` writes: IPv4 and TCP headers, plus 4 for an MSS option.
    public static func tcpProbeLength(mss: Bool) -> Int { IPv4Header.minimumLength + TCPHeader.minimumLength + (mss ? 4 : 0) }

    /// Bytes `udpProbe` writes for a payload of `payloadCount` bytes (cut as `PacketBuilder` cuts it).
    public static func udpProbeLength(payloadCount: Int) -> Int {
        IPv4Header.minimumLength + UDPHeader.length + min(payloadCount, PacketBuilder.maximumIPv4Payload)
    }

    /// Bytes `icmpEcho` writes (no payload).
    public static let icmpEchoLength = IPv4Header.minimumLength + ICMPv4Message.headerLength

    /// Bytes `icmpTimestamp` writes: the header and its three 32-bit timestamps.
    public static let icmpTimestampLength = IPv4Header.minimumLength + ICMPv4Message.headerLength + 12

    /// `PacketBuilder.tcpProbe` into `buffer`, which must hold `tcpProbeLength(mss:)` bytes; returns
    /// the length written.
    public static func tcpProbe(
        into buffer: UnsafeMutableRawBufferPointer, src: UInt32, dst: UInt32, srcPort: UInt16, dstPort: UInt16,
        seq: UInt32, ack: UInt32 = 0, flags: TCPFlags = .syn, window: UInt16 = 1024, mss: UInt16? = nil,
        ttl: UInt8 = 64, ipID: UInt16 = 0, badChecksum: Bool = false
    ) -> Int {
        let tcpLength = TCPHeader.minimumLength + (mss == nil ? 0 : 4)
        var (out, sum, start) = Writer.startTransport(
            buffer, proto: .tcp, length: tcpLength, src: src, dst: dst, srcPort: srcPort, dstPort: dstPort,
            ttl: ttl, ipID: ipID)
        out.putTCPAfterPorts(seq: seq, ack: ack, flags: flags, window: window, mss: mss, length: tcpLength, &sum)
        out.store16(Writer.finish(sum, bad: badChecksum), at: start + 16)
        return out.offset
    }

    /// `PacketBuilder.udpProbe` into `buffer`, which must hold `udpProbeLength(payloadCount:)`
    /// bytes; returns the length written.
    public static func udpProbe(
        into buffer: UnsafeMutableRawBufferPointer, src: UInt32, dst: UInt32, srcPort: UInt16, dstPort: UInt16,
        payload: UnsafeRawBufferPointer, ttl: UInt8 = 64, ipID: UInt16 = 0, badChecksum: Bool = false
    ) -> Int {
        let payload = UnsafeRawBufferPointer(rebasing: payload.prefix(PacketBuilder.maximumIPv4Payload))
        let udpLength = UDPHeader.length + payload.count
        var (out, sum, start) = Writer.startTransport(
            buffer, proto: .udp, length: udpLength, src: src, dst: dst, srcPort: srcPort, dstPort: dstPort,
            ttl: ttl, ipID: ipID)
        out.put16(UInt16(truncatingIfNeeded: udpLength), &sum)
        out.put16(0, &sum)  // checksum, filled below
        out.putBytes(payload, &sum)
        out.store16(Writer.finishUDP(sum, bad: badChecksum), at: start + 6)
        return out.offset
    }

    /// `PacketBuilder.icmpEcho` (no payload) into `buffer`, which must hold `icmpEchoLength` bytes;
    /// returns the length written.
    public static func icmpEcho(
        into buffer: UnsafeMutableRawBufferPointer, src: UInt32, dst: UInt32, identifier: UInt16, sequence: UInt16,
        ttl: UInt8 = 64, ipID: UInt16 = 0, badChecksum: Bool = false
    ) -> Int {
        let total = icmpEchoLength
        precondition(buffer.count >= total, "buffer too small for an ICMP echo")
        var out = Writer(buffer)
        out.ipv4Header(src: src, dst: dst, proto: IPProtocol.icmp.rawValue, totalLength: total, ttl: ttl, ipID: ipID)
        var sum: UInt64 = 0
        let start = out.offset
        out.put16(0x0800, &sum)  // type 8 (echo request), code 0
        out.put16(0, &sum)  // checksum, filled below
        out.put16(identifier, &sum)
        out.put16(sequence, &sum)
        out.store16(Writer.finish(sum, bad: badChecksum), at: start + 2)
        return total
    }

    /// An ICMP timestamp request (type 13, `-PP`) into `buffer`, which must hold
    /// `icmpTimestampLength` bytes: identifier and sequence as an echo's, the originate timestamp
    /// (milliseconds since midnight UTC, RFC 792) given, receive and transmit zero. Returns the length.
    public static func icmpTimestamp(
        into buffer: UnsafeMutableRawBufferPointer, src: UInt32, dst: UInt32, identifier: UInt16, sequence: UInt16,
        originate: UInt32 = 0, ttl: UInt8 = 64, ipID: UInt16 = 0, badChecksum: Bool = false
    ) -> Int {
        let total = icmpTimestampLength
        precondition(buffer.count >= total, "buffer too small for an ICMP timestamp request")
        var out = Writer(buffer)
        out.ipv4Header(src: src, dst: dst, proto: IPProtocol.icmp.rawValue, totalLength: total, ttl: ttl, ipID: ipID)
        var sum: UInt64 = 0
        let start = out.offset
        out.put16(0x0D00, &sum)  // type 13 (timestamp), code 0
        out.put16(0, &sum)  // checksum, filled below
        out.put16(identifier, &sum)
        out.put16(sequence, &sum)
        out.put32(originate, &sum)
        out.put32(0, &sum)
        out.put32(0, &sum)
        out.store16(Writer.finish(sum, bad: badChecksum), at: start + 2)
        return total
    }

    /// Big-endian stores at a moving offset, summing the 16-bit words as it goes.
    struct Writer {
        let buffer: UnsafeMutableRawBufferPointer
        var offset = 0

        init(_ buffer: UnsafeMutableRawBufferPointer) { self.buffer = buffer }

        mutating func put16(_ value: UInt16, _ sum: inout UInt64) {
            store16(value, at: offset)
            sum &+= UInt64(value)
            offset += 2
        }

        mutating func put32(_ value: UInt32, _ sum: inout UInt64) {
            put16(UInt16(truncatingIfNeeded: value >> 16), &sum)
            put16(UInt16(truncatingIfNeeded: value), &sum)
        }

        mutating func putBytes(_ bytes: UnsafeRawBufferPointer, _ sum: inout UInt64) {
            guard let base = bytes.baseAddress, bytes.count > 0 else { return }
            (buffer.baseAddress! + offset).copyMemory(from: base, byteCount: bytes.count)
            var accumulator = InternetChecksum()
            accumulator.add(bytes)
            sum &+= UInt64(accumulator.foldedSum)
            offset += bytes.count
        }

        func store16(_ value: UInt16, at position: Int) {
            buffer.storeBytes(of: value.bigEndian, toByteOffset: position, as: UInt16.self)
        }

        /// The 20-byte header `PacketBuilder` writes: no options, no flags, checksum computed.
        mutating func ipv4Header(src: UInt32, dst: UInt32, proto: UInt8, totalLength: Int, ttl: UInt8, ipID: UInt16) {
            var sum: UInt64 = 0
            put16(0x4500, &sum)  // version 4, IHL 5, TOS 0
            put16(UInt16(truncatingIfNeeded: totalLength), &sum)
            put16(ipID, &sum)
            put16(0, &sum)  // flags and fragment offset
            put16(UInt16(ttl) << 8 | UInt16(proto), &sum)
            put16(0, &sum)  // checksum, filled below
            put32(src, &sum)
            put32(dst, &sum)
            store16(Self.finish(sum), at: 10)
        }

        /// Starts a TCP or UDP probe of `length` transport bytes: checks the buffer holds it,
        /// writes the IPv4 header and the two ports, and sums the pseudo-header and ports. Returns
        /// the writer, the running sum and where the transport header starts.
        static func startTransport(
            _ buffer: UnsafeMutableRawBufferPointer, proto: IPProtocol, length: Int, src: UInt32, dst: UInt32,
            srcPort: UInt16, dstPort: UInt16, ttl: UInt8, ipID: UInt16
        ) -> (Writer, sum: UInt64, start: Int) {
            let total = IPv4Header.minimumLength + length
            precondition(buffer.count >= total, "buffer too small for the probe")
            var out = Writer(buffer)
            out.ipv4Header(src: src, dst: dst, proto: proto.rawValue, totalLength: total, ttl: ttl, ipID: ipID)
            var sum = pseudoHeaderSum(src: src, dst: dst, proto: proto.rawValue, length: length)
            let start = out.offset
            out.put16(srcPort, &sum)
            out.put16(dstPort, &sum)
            return (out, sum, start)
        }

        static func pseudoHeaderSum(src: UInt32, dst: UInt32, proto: UInt8, length: Int) -> UInt64 {
            UInt64(src >> 16) &+ UInt64(src & 0xFFFF) &+ UInt64(dst >> 16) &+ UInt64(dst & 0xFFFF)
                &+ UInt64(proto) &+ UInt64(length)
        }

        /// Folds a sum of 16-bit words and complements it: the value for a checksum field.
        /// A probe's TCP header after its ports, for either family: sequence and ack numbers, data
        /// offset and flags, window, a zero checksum (filled in by the caller), a zero urgent pointer,
        /// and the MSS option when given.
        mutating func putTCPAfterPorts(seq: UInt32, ack: UInt32, flags: TCPFlags, window: UInt16, mss: UInt16?,
                                       length: Int, _ sum: inout UInt64) {
            put32(seq, &sum)
            put32(ack, &sum)
            put16(UInt16(length / 4) << 12 | UInt16(flags.rawValue), &sum)
            put16(window, &sum)
            put16(0, &sum)  // checksum, filled by the caller
            put16(0, &sum)  // urgent pointer
            if let mss {
                put16(0x0204, &sum)  // kind 2 (MSS), length 4
                put16(mss, &sum)
            }
        }

        static func finish(_ sum: UInt64) -> UInt16 {
            var folded = sum
            while folded >> 16 != 0 { folded = (folded & 0xFFFF) &+ (folded >> 16) }
            return ~UInt16(truncatingIfNeeded: folded)
        }

        /// A transport checksum field: the right one, or with `bad` (`--badsum`) one that never verifies.
        static func finish(_ sum: UInt64, bad: Bool) -> UInt16 {
            bad ? InternetChecksum.corrupted(finish(sum)) : finish(sum)
        }

        /// A UDP checksum field (either family): RFC 768 sends a computed zero as all ones, since
        /// zero means "no checksum" (and over IPv6 is not allowed at all, RFC 8200 §8.1).
        static func finishUDP(_ sum: UInt64, bad: Bool) -> UInt16 {
            let checksum = finish(sum)
            return bad ? InternetChecksum.corrupted(checksum) : checksum == 0 ? 0xFFFF : checksum
        }
    }
}
