import Packets
@testable import ScanEngine

/// The packets a target (or a router on the way) sends back to a probe, built with the Packets
/// builders from the probe's own bytes, following RFC 9293 for resets.
enum RawReplyFactory {
    static let scanner: UInt32 = 0xC612_0001  // 198.18.0.1
    static let target: UInt32 = 0xC612_0002  // 198.18.0.2
    static let router: UInt32 = 0xC612_00FE  // 198.18.0.254

    static func parse(_ probe: [UInt8]) -> ParsedPacket {
        try! ParsedPacket.parse(ipv4Datagram: probe)
    }

    /// SYN/ACK from an open port, answering a SYN.
    static func synAck(to probe: [UInt8], ttl: UInt8 = 64) -> [UInt8] {
        guard case .tcp(let ip, let tcp) = parse(probe) else { fatalError("not TCP") }
        return PacketBuilder.tcpProbe(src: ip.destination, dst: ip.source, srcPort: tcp.destinationPort,
                                      dstPort: tcp.sourcePort, seq: 0x1234_5678, ack: tcp.sequenceNumber &+ 1,
                                      flags: .synAck, window: 65535, mss: 1460, ttl: ttl, ipID: 0)
    }

    /// The RST a closed port (or a stealth probe to one) draws: <SEQ=SEG.ACK><CTL=RST> when the
    /// probe carried ACK, else <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.
    static func reset(to probe: [UInt8], ttl: UInt8 = 64) -> [UInt8] {
        guard case .tcp(let ip, let tcp) = parse(probe) else { fatalError("not TCP") }
        if tcp.flags.contains(.ack) {
            return PacketBuilder.tcpProbe(src: ip.destination, dst: ip.source, srcPort: tcp.destinationPort,
                                          dstPort: tcp.sourcePort, seq: tcp.acknowledgmentNumber, flags: .rst,
                                          window: 0, ttl: ttl)
        }
        let length: UInt32 = (tcp.flags.contains(.syn) ? 1 : 0) + (tcp.flags.contains(.fin) ? 1 : 0)
        return PacketBuilder.tcpProbe(src: ip.destination, dst: ip.source, srcPort: tcp.destinationPort,
                                      dstPort: tcp.sourcePort, seq: 0, ack: tcp.sequenceNumber &+ length,
                                      flags: [.rst, .ack], window: 0, ttl: ttl)
    }

    static func udpReply(to probe: [UInt8], payload: [UInt8] = Array("hello".utf8)) -> [UInt8] {
        guard case .udp(let ip, let udp, _) = parse(probe) else { fatalError("not UDP") }
        return PacketBuilder.udpProbe(src: ip.destination, dst: ip.source, srcPort: udp.destinationPort,
                                      dstPort: udp.sourcePort, payload: payload, ttl: 64, ipID: 0x4242)
    }

    static func echoReply(to probe: [UInt8]) -> [UInt8] {
        guard case .icmp(let ip, .echoRequest(let echo)) = parse(probe) else { fatalError("not an echo request") }
        return wrapICMP(ICMPv4Message.echoReply(echo).bytes, from: ip.destination, to: ip.source)
    }

    static func timestampReply(to probe: [UInt8]) -> [UInt8] {
        guard case .icmp(let ip, .timestampRequest(let stamp)) = parse(probe) else { fatalError("not a timestamp request") }
        return wrapICMP(ICMPv4Message.timestampReply(stamp).bytes, from: ip.destination, to: ip.source)
    }

    /// ICMP destination unreachable quoting the probe's header and first 8 transport bytes.
    static func unreachable(_ code: UInt8, to probe: [UInt8], from sender: UInt32? = nil) -> [UInt8] {
        let header = try! IPv4Header.parse(probe)
        let transport = probe[header.headerLength..<min(probe.count, header.headerLength + 8)]
        let quoted = QuotedDatagram(ip: header, transport: QuotedTransport(protocol: header.protocol, bytes: transport))
        let message = ICMPv4Message.destinationUnreachable(UnreachableCode(rawValue: code)!, quoted).bytes
        return wrapICMP(message, from: sender ?? header.destination, to: header.source)
    }

    static func wrapICMP(_ message: [UInt8], from source: UInt32, to destination: UInt32) -> [UInt8] {
        var ip = IPv4Header(totalLength: UInt16(20 + message.count), identification: 0x7777, ttl: 63,
                            protocol: .icmp, source: source, destination: destination)
        ip.updateChecksum()
        return ip.bytes + message
    }

    static func classify(_ classifier: ReplyClassifier, _ packet: [UInt8]) -> ReplyVerdict {
        packet.withUnsafeBytes { classifier.classify(datagram: $0) }
    }
}
