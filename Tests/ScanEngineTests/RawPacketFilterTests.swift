import Packets
import PortgridCore
import Testing
@testable import ScanEngine

/// The receive filter, run on real packets by a small classic-BPF interpreter (the subset the
/// program uses), as the kernel would run it on an AF_PACKET datagram socket.
@Suite struct RawPacketFilterTests {
    typealias F = RawReplyFactory
    let ports = SourcePortRange(lowerBound: 61000, count: 4536)
    let cookie = ProbeCookie(seed: 3, ports: SourcePortRange(lowerBound: 61000, count: 4536))
    var program: [BPFInstruction] { PacketFilterProgram.replies(to: ports, echoIdentifier: cookie.echoIdentifier) }
    var builder: RawProbeBuilder { RawProbeBuilder(cookie: cookie) }

    /// Returns the accepted length (0 = dropped).
    static func run(_ program: [BPFInstruction], _ packet: [UInt8], packetType: UInt32 = 0) -> UInt32 {
        var a: UInt32 = 0, x: UInt32 = 0, pc = 0
        func load(_ offset: Int, _ size: Int) -> UInt32? {
            guard offset >= 0, offset + size <= packet.count else { return nil }
            return (0..<size).reduce(UInt32(0)) { $0 << 8 | UInt32(packet[offset + $1]) }
        }
        while pc < program.count {
            let op = program[pc]
            pc += 1
            let size = [0x00: 4, 0x08: 2, 0x10: 1][Int(op.code & 0x18)] ?? 4
            switch op.code & 0x07 {
            case 0x00:  // LD
                if op.code & 0xE0 == BPFInstruction.abs && op.k == BPFInstruction.ancillaryPacketType {
                    a = packetType
                    continue
                }
                let offset = op.code & 0xE0 == BPFInstruction.ind ? Int(x) + Int(op.k) : Int(op.k)
                guard let value = load(offset, size) else { return 0 }
                a = value
            case 0x01:  // LDX (only the MSH form is used)
                guard let byte = load(Int(op.k), 1) else { return 0 }
                x = (byte & 0x0F) * 4
            case 0x05:  // JMP
                let taken: Bool
                switch op.code & 0xF0 {
                case BPFInstruction.jeq: taken = a == op.k
                case BPFInstruction.jgt: taken = a > op.k
                case BPFInstruction.jge: taken = a >= op.k
                case BPFInstruction.jset: taken = a & op.k != 0
                default: return 0
                }
                pc += Int(taken ? op.jt : op.jf)
            case 0x06:  // RET
                return op.k
            default:
                return 0
            }
        }
        return 0
    }

    func accepts(_ packet: [UInt8], packetType: UInt32 = 0) -> Bool { Self.run(program, packet, packetType: packetType) > 0 }

    @Test func passesEveryKindOfReply() {
        let syn = builder.packet(.tcp(.syn), source: F.scanner, destination: F.target, port: 80, tryNumber: 0)
        #expect(accepts(F.synAck(to: syn)))
        #expect(accepts(F.reset(to: syn)))
        #expect(accepts(F.unreachable(13, to: syn)))
        let udp = builder.packet(.udp, source: F.scanner, destination: F.target, port: 53, tryNumber: 0)
        #expect(accepts(F.udpReply(to: udp)))
        #expect(accepts(F.unreachable(3, to: udp)))
        let echo = builder.packet(.icmpEcho, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
        #expect(accepts(F.echoReply(to: echo)))
    }

    @Test("the filter keeps timestamp replies with our identifier (-PP) and drops other timestamp traffic")
    func keepsOurTimestampReplies() {
        let ours = builder.packet(.icmpTimestamp, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
        #expect(accepts(F.timestampReply(to: ours)))
        let theirs = RawProbeBuilder(cookie: ProbeCookie(seed: 99, ports: ports))
            .packet(.icmpTimestamp, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
        if ProbeCookie(seed: 99, ports: ports).echoIdentifier != cookie.echoIdentifier {
            #expect(!accepts(F.timestampReply(to: theirs)))
        }
        // A timestamp request to us is not a reply.
        let request = F.wrapICMP(ICMPv4Message.timestampRequest(ICMPEcho(identifier: cookie.echoIdentifier, sequence: 1,
                                                                          payload: [UInt8](repeating: 0, count: 12))).bytes,
                                 from: F.target, to: F.scanner)
        #expect(!accepts(request))
    }

    @Test func dropsWhatCannotBeAReply() {
        let syn = builder.packet(.tcp(.syn), source: F.scanner, destination: F.target, port: 80, tryNumber: 0)
        // Our own packets going out.
        #expect(!accepts(syn, packetType: PacketFilterProgram.outgoingPacketType))
        #expect(!accepts(F.synAck(to: syn), packetType: PacketFilterProgram.outgoingPacketType))
        // TCP and UDP to ports outside our block (the machine's own connections).
        let web = PacketBuilder.tcpProbe(src: F.target, dst: F.scanner, srcPort: 443, dstPort: 40000, seq: 1,
                                         flags: .synAck)
        #expect(!accepts(web))
        let dns = PacketBuilder.udpProbe(src: F.target, dst: F.scanner, srcPort: 53, dstPort: 60999)
        #expect(!accepts(dns))
        #expect(accepts(PacketBuilder.udpProbe(src: F.target, dst: F.scanner, srcPort: 53, dstPort: 61000)))
        #expect(accepts(PacketBuilder.udpProbe(src: F.target, dst: F.scanner, srcPort: 53, dstPort: 65535)))
        // Echo requests, and echo replies to someone else's ping.
        let echo = builder.packet(.icmpEcho, source: F.scanner, destination: F.target, port: 0, tryNumber: 0)
        #expect(!accepts(echo))
        let foreign = PacketBuilder.icmpEcho(src: F.scanner, dst: F.target, identifier: cookie.echoIdentifier &+ 1,
                                             sequence: 1)
        #expect(!accepts(F.echoReply(to: foreign)))
        // Other protocols, and non-first fragments.
        var gre = IPv4Header(totalLength: 24, protocol: IPProtocol(rawValue: 47), source: F.target, destination: F.scanner)
        gre.updateChecksum()
        #expect(!accepts(gre.bytes + [0, 0, 0, 0]))
        var fragment = F.synAck(to: syn)
        fragment[7] = 0x10  // fragment offset 16
        #expect(!accepts(fragment))
    }

    @Test func truncatedPacketsAreDroppedNotRead() {
        #expect(!accepts([]))
        #expect(!accepts([0x45, 0, 0, 20, 0, 0, 0, 0, 64, 6]))
    }

    // MARK: IPv6

    var program6: [BPFInstruction] { PacketFilterProgram.ipv6Replies(to: ports, echoIdentifier: cookie.echoIdentifier) }
    static let scanner6: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0001
    static let target6: UInt128 = 0x2001_0002_0000_0000_0000_0000_0000_0002

    static func icmpv6(_ message: ICMPv6Message, from source: UInt128, to destination: UInt128) -> [UInt8] {
        let bytes = message.bytes(source: source, destination: destination)
        return IPv6Header(payloadLength: UInt16(bytes.count), nextHeader: .icmpv6, source: source,
                          destination: destination).bytes + bytes
    }

    @Test("the IPv6 filter keeps replies to our ports, unreachables, neighbour adverts and our echo replies")
    func ipv6FilterKeepsReplies() {
        let (us, them) = (Self.scanner6, Self.target6)
        let accepts = { (packet: [UInt8]) in Self.run(program6, packet) > 0 }
        #expect(accepts(PacketBuilder.tcpProbe6(src: them, dst: us, srcPort: 80, dstPort: 61000, seq: 1, flags: .synAck)))
        #expect(accepts(PacketBuilder.udpProbe6(src: them, dst: us, srcPort: 53, dstPort: 65535)))
        #expect(!accepts(PacketBuilder.tcpProbe6(src: them, dst: us, srcPort: 80, dstPort: 60999, seq: 1, flags: .synAck)))
        #expect(Self.run(program6, PacketBuilder.tcpProbe6(src: them, dst: us, srcPort: 80, dstPort: 61000, seq: 1),
                         packetType: PacketFilterProgram.outgoingPacketType) == 0)
        let probe = PacketBuilder.udpProbe6(src: us, dst: them, srcPort: 61000, dstPort: 53)
        let quoted = QuotedIPv6Datagram(ip: try! IPv6Header.parse(probe),
                                        transport: QuotedTransport(protocol: .udp, bytes: probe[40...]))
        #expect(accepts(Self.icmpv6(.destinationUnreachable(.portUnreachable, quoted), from: them, to: us)))
        #expect(accepts(Self.icmpv6(.neighborAdvertisement(target: them), from: them, to: us)))
        let ours = ICMPEcho(identifier: cookie.echoIdentifier, sequence: 1, payload: [])
        let theirs = ICMPEcho(identifier: cookie.echoIdentifier &+ 1, sequence: 1, payload: [])
        #expect(accepts(Self.icmpv6(.echoReply(ours), from: them, to: us)))
        #expect(!accepts(Self.icmpv6(.echoReply(theirs), from: them, to: us)))
        #expect(!accepts(Self.icmpv6(.echoRequest(ours), from: them, to: us)))
        // Behind an extension header: passed whole, for the classifier's walk.
        var header = try! IPv6Header.parse(probe)
        header.nextHeader = IPv6Extensions.hopByHop
        #expect(accepts(header.bytes + [17, 0, 1, 4, 0, 0, 0, 0]))
        header.nextHeader = IPProtocol(rawValue: 47)
        #expect(!accepts(header.bytes + [0, 0, 0, 0]))
    }
}
