@testable import Packets

/// Valid packets of every shape the parsers know, for truncation tests and as fuzzing seeds:
/// mutating a valid packet reaches deep parse paths that random bytes almost never do.
enum FuzzSeeds {
    struct Seed {
        let name: String
        let bytes: [UInt8]
    }

    static let ipv4: [Seed] = {
        let synProbe = PacketBuilder.tcpProbe(
            src: hostB, dst: hostA, srcPort: 61_000, dstPort: 8080, seq: 0xDEAD_BEEF, mss: 1460)
        let udpSNMP = PacketBuilder.udpProbe(
            src: hostB, dst: hostA, srcPort: 50_000, dstPort: 161, payload: UDPPayloads.snmpV1GetSysDescr)
        let ping = PacketBuilder.icmpEcho(src: hostB, dst: hostA, identifier: 1, sequence: 2, payload: [1, 2, 3, 4])
        var withOptions = IPv4Header(
            totalLength: 48, protocol: .tcp, source: hostA, destination: hostB,
            options: (try? IPv4Options(bytes: [0x83, 7, 4, 0, 0, 0, 0])) ?? IPv4Options())
        withOptions.updateChecksum()
        var rst = TCPHeader(sourcePort: 8080, destinationPort: 61_000, acknowledgmentNumber: 0xDEAD_BEF0, flags: [.rst, .ack], window: 0)
        rst.updateChecksum(source: hostA, destination: hostB)
        var rstIP = IPv4Header(totalLength: 40, protocol: .tcp, source: hostA, destination: hostB)
        rstIP.updateChecksum()
        let echoReply = ICMPv4Message.echoReply(ICMPEcho(identifier: 1, sequence: 2, payload: [1, 2, 3, 4])).bytes
        return [
            Seed(name: "syn-ack", bytes: synAckBytes),
            Seed(name: "syn probe", bytes: synProbe),
            Seed(name: "rst", bytes: rstIP.bytes + rst.bytes),
            Seed(name: "tcp with ip options", bytes: withOptions.bytes + rst.bytes),
            Seed(name: "udp dns", bytes: PacketBuilder.udpProbe(
                src: hostA, dst: hostB, srcPort: 53, dstPort: 40_000, payload: UDPPayloads.dnsVersionBind)),
            Seed(name: "udp snmp", bytes: udpSNMP),
            Seed(name: "udp empty", bytes: PacketBuilder.udpProbe(src: hostA, dst: hostB, srcPort: 1, dstPort: 2)),
            Seed(name: "echo request", bytes: ping),
            Seed(name: "echo reply", bytes: icmpDatagram(echoReply, from: hostA, to: hostB)),
            Seed(name: "port unreachable (8-byte quote)", bytes: icmpDatagram(
                icmpError(type: 3, code: 3, quoting: udpSNMP.prefix(28)), from: hostA, to: hostB)),
            Seed(name: "admin prohibited (full quote)", bytes: icmpDatagram(
                icmpError(type: 3, code: 13, quoting: synProbe), from: router, to: hostB)),
            Seed(name: "time exceeded", bytes: icmpDatagram(
                icmpError(type: 11, code: 0, quoting: ping.prefix(28)), from: router, to: hostB)),
            Seed(name: "quote with ip options", bytes: icmpDatagram(
                icmpError(type: 3, code: 1, quoting: withOptions.bytes + Array(synAckBytes[20..<28])),
                from: router, to: hostA)),
            Seed(name: "timestamp request", bytes: icmpDatagram(
                hex("0d 00 f2 ff 00 00 00 00") + [UInt8](repeating: 0, count: 12), from: hostA, to: hostB)),
        ]
    }()

    static let ipv6: [Seed] = {
        let tcp = PacketBuilder.tcpProbe6(src: hostA6, dst: hostB6, srcPort: 1, dstPort: 22, seq: 3, mss: 1220)
        let unreachable = ICMPv6Message.destinationUnreachable(
            .portUnreachable,
            QuotedIPv6Datagram(
                ip: IPv6Header(payloadLength: 16, nextHeader: .udp, source: hostB6, destination: hostA6),
                transport: QuotedTransport(protocol: .udp, bytes: hex("c3 50 00 35 00 10 00 00")))
        ).bytes(source: hostA6, destination: hostB6)
        let icmpIP = IPv6Header(
            payloadLength: UInt16(unreachable.count), nextHeader: .icmpv6, source: hostA6, destination: hostB6)
        return [
            Seed(name: "tcp6", bytes: tcp),
            Seed(name: "udp6", bytes: PacketBuilder.udpProbe6(
                src: hostA6, dst: hostB6, srcPort: 2, dstPort: 53, payload: UDPPayloads.dnsRootNS)),
            Seed(name: "echo6", bytes: PacketBuilder.icmpv6Echo(
                src: hostA6, dst: hostB6, identifier: 1, sequence: 1, payload: [7, 7])),
            Seed(name: "unreachable6", bytes: icmpIP.bytes + unreachable),
        ]
    }()
}
