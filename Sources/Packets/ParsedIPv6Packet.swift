/// One IPv6 packet (fixed header first), decoded down to the transport layer. Extension headers
/// are not walked: a packet whose next header is not TCP, UDP or ICMPv6 comes back as `.other`.
/// (Linux raw IPv6 sockets deliver no IPv6 header; use `TCPHeader.parse` / `ICMPv6Message.parse`
/// on those bytes directly. This entry point is for packet captures and IPV6_HDRINCL round trips.)
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
        let payload = UnsafeRawBufferPointer(rebasing: bytes[IPv6Header.length..<end])
        switch ip.nextHeader {
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
