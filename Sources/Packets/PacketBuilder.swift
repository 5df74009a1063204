/// Whole probe packets for a raw scanner, checksums included.
///
/// The IPv4 builders return header + transport for an `IP_HDRINCL` socket. (Linux fills in the IP
/// checksum anyway and replaces an IP ID of 0 with its own; we compute both so the bytes are
/// correct on their own, e.g. in tests and captures.) The IPv6 builders return header + transport
/// as well; drop the first 40 bytes for a socket without IPV6_HDRINCL — the transport checksum
/// already covers the addresses through the pseudo-header.
public enum PacketBuilder {
    /// Largest payload that fits an IPv4 datagram after a 20-byte IP and 8-byte UDP/ICMP header.
    public static let maximumIPv4Payload = Int(UInt16.max) - 28
    /// Largest payload that fits an IPv6 payload length after an 8-byte UDP/ICMPv6 header.
    public static let maximumIPv6Payload = Int(UInt16.max) - 8

    // MARK: IPv4

    /// A TCP probe (SYN, ACK, FIN, NULL, Xmas ... as `flags` says), optionally carrying an MSS option
    /// (nmap-style SYNs carry MSS 1460 so they look like a real stack's).
    public static func tcpProbe(
        src: UInt32, dst: UInt32, srcPort: UInt16, dstPort: UInt16, seq: UInt32, ack: UInt32 = 0,
        flags: TCPFlags = .syn, window: UInt16 = 1024, mss: UInt16? = nil, ttl: UInt8 = 64,
        ipID: UInt16 = 0
    ) -> [UInt8] {
        var tcp = TCPHeader(
            sourcePort: srcPort, destinationPort: dstPort, sequenceNumber: seq,
            acknowledgmentNumber: ack, flags: flags, window: window,
            options: mss.map(TCPOptions.mss) ?? TCPOptions())
        var packet = ipv4Header(
            src: src, dst: dst, proto: .tcp, transportLength: tcp.headerLength, ttl: ttl, ipID: ipID)
        let start = packet.count
        tcp.serialize(into: &packet)
        tcp.checksum = packet.withUnsafeBytes {
            PseudoHeader.ipv4(source: src, destination: dst, protocol: .tcp)
                .checksum(UnsafeRawBufferPointer(rebasing: $0[start...]))
        }
        packet.storeBigEndian(tcp.checksum, at: start + 16)
        return packet
    }

    /// A UDP probe; `payload` is usually `UDPPayloads.payload(forPort: dstPort)`.
    /// A payload longer than `maximumIPv4Payload` is cut to fit.
    public static func udpProbe(
        src: UInt32, dst: UInt32, srcPort: UInt16, dstPort: UInt16, payload: [UInt8] = [],
        ttl: UInt8 = 64, ipID: UInt16 = 0
    ) -> [UInt8] {
        let payload = Array(payload.prefix(maximumIPv4Payload))
        var udp = UDPHeader(sourcePort: srcPort, destinationPort: dstPort)
        udp.update(for: payload, source: src, destination: dst)
        var packet = ipv4Header(
            src: src, dst: dst, proto: .udp, transportLength: Int(udp.length), ttl: ttl, ipID: ipID)
        udp.serialize(into: &packet)
        packet.append(contentsOf: payload)
        return packet
    }

    /// An ICMP echo request (ping). A payload longer than `maximumIPv4Payload` is cut to fit.
    public static func icmpEcho(
        src: UInt32, dst: UInt32, identifier: UInt16, sequence: UInt16, payload: [UInt8] = [],
        ttl: UInt8 = 64, ipID: UInt16 = 0
    ) -> [UInt8] {
        let echo = ICMPEcho(
            identifier: identifier, sequence: sequence, payload: Array(payload.prefix(maximumIPv4Payload)))
        let message = ICMPv4Message.echoRequest(echo).bytes
        var packet = ipv4Header(
            src: src, dst: dst, proto: .icmp, transportLength: message.count, ttl: ttl, ipID: ipID)
        packet.append(contentsOf: message)
        return packet
    }

    /// A 20-byte IPv4 header with correct total length and checksum, as the start of a packet.
    private static func ipv4Header(
        src: UInt32, dst: UInt32, proto: IPProtocol, transportLength: Int, ttl: UInt8, ipID: UInt16
    ) -> [UInt8] {
        var ip = IPv4Header(
            totalLength: UInt16(truncatingIfNeeded: IPv4Header.minimumLength + transportLength),
            identification: ipID, ttl: ttl, protocol: proto, source: src, destination: dst)
        ip.updateChecksum()
        var packet = [UInt8]()
        packet.reserveCapacity(IPv4Header.minimumLength + transportLength)
        ip.serialize(into: &packet)
        return packet
    }

    // MARK: IPv6

    /// IPv6 counterpart of `tcpProbe`.
    public static func tcpProbe6(
        src: UInt128, dst: UInt128, srcPort: UInt16, dstPort: UInt16, seq: UInt32, ack: UInt32 = 0,
        flags: TCPFlags = .syn, window: UInt16 = 1024, mss: UInt16? = nil, hopLimit: UInt8 = 64
    ) -> [UInt8] {
        var tcp = TCPHeader(
            sourcePort: srcPort, destinationPort: dstPort, sequenceNumber: seq,
            acknowledgmentNumber: ack, flags: flags, window: window,
            options: mss.map(TCPOptions.mss) ?? TCPOptions())
        tcp.updateChecksum(source: src, destination: dst)
        let ip = IPv6Header(
            payloadLength: UInt16(truncatingIfNeeded: tcp.headerLength), nextHeader: .tcp,
            hopLimit: hopLimit, source: src, destination: dst)
        var packet = ip.bytes
        tcp.serialize(into: &packet)
        return packet
    }

    /// IPv6 counterpart of `udpProbe`. A payload longer than `maximumIPv6Payload` is cut to fit.
    public static func udpProbe6(
        src: UInt128, dst: UInt128, srcPort: UInt16, dstPort: UInt16, payload: [UInt8] = [],
        hopLimit: UInt8 = 64
    ) -> [UInt8] {
        let payload = Array(payload.prefix(maximumIPv6Payload))
        var udp = UDPHeader(sourcePort: srcPort, destinationPort: dstPort)
        udp.update(for: payload, source: src, destination: dst)
        let ip = IPv6Header(
            payloadLength: udp.length, nextHeader: .udp, hopLimit: hopLimit, source: src, destination: dst)
        var packet = ip.bytes
        udp.serialize(into: &packet)
        packet.append(contentsOf: payload)
        return packet
    }

    /// An ICMPv6 echo request. A payload longer than `maximumIPv6Payload` is cut to fit.
    public static func icmpv6Echo(
        src: UInt128, dst: UInt128, identifier: UInt16, sequence: UInt16, payload: [UInt8] = [],
        hopLimit: UInt8 = 64
    ) -> [UInt8] {
        let echo = ICMPEcho(
            identifier: identifier, sequence: sequence, payload: Array(payload.prefix(maximumIPv6Payload)))
        let message = ICMPv6Message.echoRequest(echo).bytes(source: src, destination: dst)
        let ip = IPv6Header(
            payloadLength: UInt16(truncatingIfNeeded: message.count), nextHeader: .icmpv6,
            hopLimit: hopLimit, source: src, destination: dst)
        var packet = ip.bytes
        packet.append(contentsOf: message)
        return packet
    }
}
