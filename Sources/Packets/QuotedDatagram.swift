/// The original datagram an ICMPv4 error quotes: the IP header as the router saw it (TTL and
/// checksum may differ from what was sent) and the start of its transport header.
public struct QuotedDatagram: Sendable, Hashable {
    public var ip: IPv4Header
    public var transport: QuotedTransport

    public init(ip: IPv4Header, transport: QuotedTransport) {
        self.ip = ip
        self.transport = transport
    }

    public var sourcePort: UInt16? { transport.sourcePort }
    public var destinationPort: UInt16? { transport.destinationPort }
    public var tcpSequence: UInt32? { transport.tcpSequence }

    /// Parses a quote: a complete IP header (its total length is not checked against the buffer,
    /// which holds only part of the datagram) and up to 8 transport bytes.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(PacketError) -> QuotedDatagram {
        let ip = try IPv4Header.parse(bytes, layer: .quotedIPv4, requireWholeDatagram: false)
        let rest = UnsafeRawBufferPointer(rebasing: bytes[ip.headerLength...])
        return QuotedDatagram(ip: ip, transport: QuotedTransport(protocol: ip.protocol, bytes: rest))
    }

    func serialize(into bytes: inout [UInt8]) {
        ip.serialize(into: &bytes)
        bytes.append(contentsOf: transport.bytes)
    }
}

/// The original packet an ICMPv6 error quotes. Extension headers in the quote are skipped, so
/// `transport` is the upper-layer header's start (its protocol is the extension header's when the
/// quote is cut inside the chain, and then no ports are reported).
public struct QuotedIPv6Datagram: Sendable, Hashable {
    public var ip: IPv6Header
    public var transport: QuotedTransport

    public init(ip: IPv6Header, transport: QuotedTransport) {
        self.ip = ip
        self.transport = transport
    }

    public var sourcePort: UInt16? { transport.sourcePort }
    public var destinationPort: UInt16? { transport.destinationPort }
    public var tcpSequence: UInt32? { transport.tcpSequence }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(PacketError) -> QuotedIPv6Datagram {
        let ip = try IPv6Header.parse(bytes, layer: .quotedIPv6, requireWholePacket: false)
        let walk = IPv6Extensions.walk(bytes, first: ip.nextHeader, at: IPv6Header.length)
        let rest = UnsafeRawBufferPointer(rebasing: bytes[walk.offset...])
        return QuotedIPv6Datagram(ip: ip, transport: QuotedTransport(protocol: walk.upperLayer, bytes: rest))
    }

    func serialize(into bytes: inout [UInt8]) {
        ip.serialize(into: &bytes)
        bytes.append(contentsOf: transport.bytes)
    }
}
