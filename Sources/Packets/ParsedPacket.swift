/// One received IPv4 datagram, decoded down to the transport layer: the receive loop of a raw
/// scanner calls `parse` on every packet, so it works on borrowed bytes, keeps header options
/// inline, and allocates only for a UDP or ICMP echo payload.
public enum ParsedPacket: Sendable, Hashable {
    case tcp(IPv4Header, TCPHeader)
    case udp(IPv4Header, UDPHeader, payload: [UInt8])
    case icmp(IPv4Header, ICMPv4Message)
    /// Another protocol, or a non-first fragment (whose payload has no transport header).
    case other(IPv4Header)

    public var ip: IPv4Header {
        switch self {
        case .tcp(let ip, _), .udp(let ip, _, _), .icmp(let ip, _), .other(let ip): ip
        }
    }

    /// Parses a whole datagram as a raw IPv4 socket delivers it. Bytes past the IP total length
    /// (link-layer padding) are ignored; any structural lie throws a `PacketError`.
    public static func parse(ipv4Datagram bytes: UnsafeRawBufferPointer) throws(PacketError) -> ParsedPacket {
        let ip = try IPv4Header.parse(bytes)
        // IPv4Header.parse guarantees headerLength <= totalLength <= bytes.count.
        let payload = UnsafeRawBufferPointer(rebasing: bytes[ip.headerLength..<Int(ip.totalLength)])
        if ip.isNonFirstFragment { return .other(ip) }
        switch ip.protocol {
        case .tcp:
            return .tcp(ip, try TCPHeader.parse(payload))
        case .udp:
            let (udp, range) = try UDPHeader.parse(payload)
            return .udp(ip, udp, payload: Array(UnsafeRawBufferPointer(rebasing: payload[range])))
        case .icmp:
            return .icmp(ip, try ICMPv4Message.parse(payload))
        default:
            return .other(ip)
        }
    }

    public static func parse(ipv4Datagram bytes: [UInt8]) throws(PacketError) -> ParsedPacket {
        try withBorrowedBytes(bytes) { (raw) throws(PacketError) in try parse(ipv4Datagram: raw) }
    }

    /// Any byte collection; contiguous ones (Array, ArraySlice, ...) are borrowed, others copied once.
    public static func parse(ipv4Datagram bytes: some Collection<UInt8>) throws(PacketError) -> ParsedPacket {
        let borrowed = bytes.withContiguousStorageIfAvailable { buffer -> Result<ParsedPacket, PacketError> in
            do throws(PacketError) {
                return .success(try parse(ipv4Datagram: UnsafeRawBufferPointer(buffer)))
            } catch {
                return .failure(error)
            }
        }
        if let borrowed { return try borrowed.get() }
        return try parse(ipv4Datagram: Array(bytes))
    }
}
