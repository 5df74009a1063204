import Glibc
import Packets
import Testing
@testable import ScanEngine

/// The receive socket with real packets: UDP datagrams over loopback to a port of a source-port
/// block, which the reply filter lets through. Other tests may send to the same block at the same
/// time, so only datagrams carrying this test's marker are counted.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root for AF_PACKET sockets"))
struct RawReceiveSocketTests {
    static let marker: [UInt8] = Array("receive-test".utf8)

    struct Failure: Error { var call: String; var errno: CInt }

    /// A UDP socket bound to 127.0.0.1 on a free port of `range`, and a second one to send from.
    static func endpoints(in range: SourcePortRange) throws -> (sink: CInt, port: UInt16, sender: CInt) {
        let sender = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
        guard sender >= 0 else { throw Failure(call: "socket", errno: errno) }
        for offset in 0..<range.count {
            let port = range.lowerBound + UInt16(offset)
            let sink = socket(AF_INET, CInt(SOCK_DGRAM.rawValue), 0)
            var address = loopback(port)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(sink, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound == 0 { return (sink, port, sender) }
            close(sink)
        }
        close(sender)
        throw Failure(call: "bind", errno: EADDRINUSE)
    }

    static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
        return address
    }

    static func send(_ payload: [UInt8], from sender: CInt, to port: UInt16) {
        var address = loopback(port)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(sender, payload, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    /// This test's datagrams among what is waiting: (sequence number, whole datagram).
    static func drain(_ socket: RawReceiveSocket) throws -> [(UInt32, [UInt8])] {
        var found: [(UInt32, [UInt8])] = []
        while true {
            let count = try socket.receive(limit: 256) { bytes in
                guard case .udp(_, _, let payload) = try? ParsedPacket.parse(ipv4Datagram: bytes),
                      payload.count >= marker.count + 4, Array(payload.prefix(marker.count)) == marker else { return }
                let sequence = payload[marker.count ..< marker.count + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                found.append((sequence, Array(bytes)))
            }
            if count == 0 { return found }
        }
    }

    static func payload(_ sequence: UInt32, size: Int = 0) -> [UInt8] {
        var bytes = marker + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: sequence >> UInt32($0)) }
        if bytes.count < size { bytes += [UInt8](repeating: 0x5A, count: size - bytes.count) }
        return bytes
    }

    @Test func packetsComeOutInArrivalOrderManyReadsInARow() throws {
        let range = SourcePortRange(lowerBound: 64_520, count: 16)
        let receiver = try RawReceiveSocket(filter: PacketFilterProgram.replies(to: range, echoIdentifier: 0))
        let (sink, port, sender) = try Self.endpoints(in: range)
        defer { close(sink); close(sender) }
        // Many times the receive slots, read a chunk at a time.
        let total = 100 * RawReceiveSocket.slotCount
        var received: [UInt32] = []
        var next: UInt32 = 0
        while next < total {
            for _ in 0..<1000 where next < total {
                Self.send(Self.payload(next), from: sender, to: port)
                next += 1
            }
            received += try Self.drain(receiver).map(\.0)
        }
        received += try Self.drain(receiver).map(\.0)
        #expect(received.count == total)
        #expect(received == (0..<UInt32(total)).map { $0 })
    }

    @Test func aPacketLongerThanASlotIsCutToWhatTheSlotHolds() throws {
        let range = SourcePortRange(lowerBound: 64_540, count: 16)
        let receiver = try RawReceiveSocket(filter: PacketFilterProgram.replies(to: range, echoIdentifier: 0))
        let (sink, port, sender) = try Self.endpoints(in: range)
        defer { close(sink); close(sender) }
        Self.send(Self.payload(7, size: RawReceiveSocket.slotSize + 500), from: sender, to: port)
        Self.send(Self.payload(8, size: 100), from: sender, to: port)
        let found = try Self.drain(receiver)
        #expect(found.map(\.0) == [7, 8])
        guard found.count == 2 else { return }
        let (cut, whole) = (found[0].1, found[1].1)
        #expect(cut.count == RawReceiveSocket.slotSize)
        guard case .udp(let ip, let udp, _) = try ParsedPacket.parse(ipv4Datagram: cut) else {
            Issue.record("not UDP")
            return
        }
        // The lengths now say what was kept, so the headers parse.
        #expect(Int(ip.totalLength) == cut.count && Int(udp.length) == cut.count - 20)
        #expect(whole.count == 20 + 8 + 100)
    }
}
