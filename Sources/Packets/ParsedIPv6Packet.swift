/// One IPv6 packet (fixed header first), decoded down to the transport layer, as an AF_PACKET
/// socket delivers it. Extension headers are skipped (`IPv6Extensions`); a packet whose upper
/// layer is not TCP, UDP or ICMPv6, or a non-first fragment, comes back as `.other`.
public enum ParsedIPv6Packet: Sendable, Hashable {
    case tcp(IPv6Header, TCPHeader)
    case udp(IPv6Header, UDPHeader, payload: [UInt8])
    case icmp(IPv6Header, ICMPv6Message)
    case other(IPv6Header)

    public var ip: IPv6Header {
        switch self {
        case .tcp(let ip, _), .udp(let ip, _, _), .icmp(let ip, _), .other(let ip): ip
        }
    }

    public static func parse(ipv6Packet bytes: UnsafeRawBufferPointer) throws(PacketError) -> ParsedIPv6Packet {
        let ip = try IPv6Header.parse(bytes)
        // IPv6Header.parse guarantees 40 + payloadLength <= bytes.count.
        let end = IPv6Header.length + Int(ip.payloadLength)
        let packet = UnsafeRawBufferPointer(rebasing: bytes[..<end])
        let walk = IPv6Extensions.walk(packet, first: ip.nextHeader, at: IPv6Header.length)
        if walk.isNonFirstFragment { return .other(ip) }
        let payload = UnsafeRawBufferPointer(rebasing: packet[walk.offset...])
        switch walk.upperLayer {
        case .tcp:
            return .tcp(ip, try TCPHeader.parse(payload))
        case .udp:
            let (udp, range) = try UDPHeader.parse(payload)
            return .udp(ip, udp, payload: Array(UnsafeRawBufferPointer(rebasing: payload[range])))
        case .icmpv6:
            return .icmp(ip, try ICMPv6Message.parse(payload))
        default:
            return .other(ip)
        }
    }

    public static func parse(ipv6Packet bytes: [UInt8]) throws(PacketError) -> ParsedIPv6Packet {
        try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(ipv6Packet: raw) }
    }
}
