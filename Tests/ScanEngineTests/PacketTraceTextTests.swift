import Packets
import PortgridCore
@testable import ScanEngine
import Testing

/// `--packet-trace`'s lines, in nmap's low-detail words.
@Suite("packet trace text")
struct PacketTraceTextTests {
    let scanner = UInt32(0xC612_0001), target = UInt32(0xC612_0002)

    @Test("a SYN probe reads as nmap writes it: addresses, flags, TTL, IP ID, length, sequence, window, MSS")
    func synLine() {
        let syn = PacketBuilder.tcpProbe(src: scanner, dst: target, srcPort: 54321, dstPort: 80, seq: 991542220,
                                         flags: .syn, window: 1024, mss: 1460, ttl: 64, ipID: 4242)
        #expect(PacketTraceText.line(.sent, .microseconds(12_345), packet: syn)
                == "SENT (0.0123s) TCP 198.18.0.1:54321 > 198.18.0.2:80 S ttl=64 id=4242 iplen=44  seq=991542220 win=1024 <mss 1460>")
        let reset = PacketBuilder.tcpProbe(src: target, dst: scanner, srcPort: 80, dstPort: 54321, seq: 0, ack: 991542221,
                                           flags: [.rst, .ack], window: 0, ttl: 64, ipID: 0)
        #expect(PacketTraceText.line(.received, .seconds(2), packet: reset)
                == "RCVD (2.0000s) TCP 198.18.0.2:80 > 198.18.0.1:54321 RA ttl=64 id=0 iplen=40  seq=0 win=0 ")
    }

    @Test("UDP, a port unreachable and a timestamp request read as nmap's")
    func udpAndICMPLines() {
        let udp = PacketBuilder.udpProbe(src: scanner, dst: target, srcPort: 44701, dstPort: 40125, ttl: 40, ipID: 7)
        #expect(PacketTraceText.line(.sent, .zero, packet: udp)
                == "SENT (0.0000s) UDP 198.18.0.1:44701 > 198.18.0.2:40125 ttl=40 id=7 iplen=28 ")
        let header = try! IPv4Header.parse(udp)
        let quoted = QuotedDatagram(ip: header, transport: QuotedTransport(protocol: .udp, bytes: udp[20..<28]))
        var ip = IPv4Header(totalLength: UInt16(20 + 8 + 28), identification: 4500, ttl: 64, protocol: .icmp,
                            source: target, destination: scanner)
        ip.updateChecksum()
        let unreachable = ip.bytes + ICMPv4Message.destinationUnreachable(.portUnreachable, quoted).bytes
        #expect(PacketTraceText.line(.received, .milliseconds(5), packet: unreachable)
                == "RCVD (0.0050s) ICMP [198.18.0.2 > 198.18.0.1 Port 40125 unreachable (type=3/code=3) ] IP [ttl=64 id=4500 iplen=56 ]")
        var buffer = [UInt8](repeating: 0, count: ProbeWriter.icmpTimestampLength)
        _ = buffer.withUnsafeMutableBytes {
            ProbeWriter.icmpTimestamp(into: $0, src: scanner, dst: target, identifier: 3418, sequence: 1, ttl: 50, ipID: 9)
        }
        #expect(PacketTraceText.line(.sent, .zero, packet: buffer)
                == "SENT (0.0000s) ICMP [198.18.0.1 > 198.18.0.2 Timestamp request (type=13/code=0) id=3418 seq=1 orig=0 recv=0 trans=0] IP [ttl=50 id=9 iplen=40 ]")
    }

    @Test("a connect's line names the target and what the kernel said")
    func connectLine() {
        #expect(PacketTraceText.connect(.milliseconds(41), host: IPAddress("127.0.0.1")!, port: 22, outcome: "Connection refused")
                == "CONN (0.0410s) TCP localhost > 127.0.0.1:22 => Connection refused")
        #expect(PacketTraceText.connect(.zero, host: IPAddress("2001:2::2")!, port: 80, outcome: "Connected")
                == "CONN (0.0000s) TCP localhost > [2001:2::2]:80 => Connected")
    }

    @Test("bytes that are no IP packet give no line, and never trap")
    func garbage() {
        #expect(PacketTraceText.line(.received, .zero, packet: []) == nil)
        #expect(PacketTraceText.line(.received, .zero, packet: [0x45, 0, 0]) == nil)
        #expect(PacketTraceText.line(.received, .zero, packet: [0x10, 1, 2, 3]) == nil)
    }
}
