import Packets

/// The libFuzzer target for the packet codec (see README, "Fuzzing"). Every input goes through
/// each parser a received packet can reach: the IPv4 and IPv6 datagram parsers, and the ICMPv4
/// and ICMPv6 message parsers (with their quoted datagrams) on the bare bytes, as a raw ICMP
/// socket would hand them over. A throw is a clean refusal; a trap, a sanitizer report or a
/// broken invariant below is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func packetsFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let packet = try? ParsedPacket.parse(ipv4Datagram: bytes) { PacketInvariants.check(packet, bytes) }
    if let packet = try? ParsedIPv6Packet.parse(ipv6Packet: bytes) { PacketInvariants.check(packet, bytes) }
    if let message = try? ICMPv4Message.parse(bytes) { PacketInvariants.roundTrip(message) }
    if let message = try? ICMPv6Message.parse(bytes) { PacketInvariants.roundTrip(message) }
    return 0
}

/// What a parsed packet promises about the bytes it came from. `require` traps, which libFuzzer
/// reports as a crash with the input saved.
enum PacketInvariants {
    static func check(_ packet: ParsedPacket, _ bytes: UnsafeRawBufferPointer) {
        let ip = packet.ip
        require(ip.headerLength <= Int(ip.totalLength) && Int(ip.totalLength) <= bytes.count,
                "IPv4 header claims more bytes than it was given")
        // The codec keeps every header field, so writing the header back gives the bytes read.
        require(ip.bytes.elementsEqual(bytes.prefix(ip.headerLength)), "IPv4 header does not round-trip")
        let payload = bytes[ip.headerLength..<Int(ip.totalLength)]
        switch packet {
        case .tcp(_, let tcp):
            require(tcp.headerLength <= payload.count, "TCP header longer than the IP payload")
            require(tcp.bytes.elementsEqual(payload.prefix(tcp.headerLength)), "TCP header does not round-trip")
        case .udp(_, let udp, let data):
            require(UDPHeader.length + data.count <= payload.count, "UDP payload longer than the IP payload")
            require(data.count == udp.payloadLength, "UDP payload differs from its length field")
        case .icmp(_, let message):
            roundTrip(message)
        case .other:
            break
        }
    }

    static func check(_ packet: ParsedIPv6Packet, _ bytes: UnsafeRawBufferPointer) {
        let end = IPv6Header.length + Int(packet.ip.payloadLength)
        require(end <= bytes.count, "IPv6 payload length claims more bytes than it was given")
        let payload = bytes[IPv6Header.length..<end]
        switch packet {
        case .tcp(_, let tcp):
            require(tcp.headerLength <= payload.count, "TCP header longer than the IPv6 payload")
            require(tcp.bytes.elementsEqual(payload.prefix(tcp.headerLength)), "TCP header does not round-trip")
        case .udp(_, let udp, let data):
            require(UDPHeader.length + data.count <= payload.count, "UDP payload longer than the IPv6 payload")
            require(data.count == udp.payloadLength, "UDP payload differs from its length field")
        case .icmp(_, let message):
            roundTrip(message)
        case .other:
            break
        }
    }

    /// Serializing a parsed message and parsing it again gives the same message: what the
    /// scanner matches replies on (codes, quoted addresses, ports, sequence) survives.
    static func roundTrip(_ message: ICMPv4Message) {
        touch(message.quoted)
        require((try? ICMPv4Message.parse(message.bytes)) == message, "ICMPv4 message does not round-trip")
    }

    static func roundTrip(_ message: ICMPv6Message) {
        if let quoted = message.quoted { _ = (quoted.sourcePort, quoted.destinationPort, quoted.tcpSequence) }
        // The checksum covers a pseudo-header; any addresses do, since parsing does not verify it.
        let bytes = message.bytes(source: 1, destination: 2)
        require((try? ICMPv6Message.parse(bytes)) == message, "ICMPv6 message does not round-trip")
    }

    /// Reads every accessor the reply classifier uses on a quote.
    static func touch(_ quoted: QuotedDatagram?) {
        guard let quoted else { return }
        _ = (quoted.sourcePort, quoted.destinationPort, quoted.tcpSequence, quoted.ip.headerLength)
    }

    static func require(_ condition: Bool, _ finding: StaticString) {
        if !condition { fatalError("\(finding)") }
    }
}
