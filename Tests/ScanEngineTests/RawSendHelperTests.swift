import Glibc
import Packets
import Testing
@testable import ScanEngine

/// The second send thread with real packets: UDP datagrams from a raw socket to a UDP socket on
/// 127.0.0.1. Only loopback is contacted.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root for raw sockets"))
struct RawSendHelperTests {
    static let loopback: UInt32 = 0x7F00_0001

    /// A UDP socket on 127.0.0.1 (non-blocking) and its port.
    func receiver() throws -> (CInt, UInt16) {
        let descriptor = socket(AF_INET, CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue), 0)
        var size: CInt = 4 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<CInt>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr = in_addr(s_addr: Self.loopback.bigEndian)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    func batch(_ count: Int, to port: UInt16) -> PacketBatch {
        var batch = PacketBatch(capacity: count)
        for index in 0..<count {
            let payload: [UInt8] = [UInt8(index >> 8), UInt8(index & 0xFF)]
            batch.append(destination: Self.loopback, maximum: ProbeWriter.udpProbeLength(payloadCount: 2)) { buffer in
                payload.withUnsafeBytes {
                    ProbeWriter.udpProbe(into: buffer, src: Self.loopback, dst: Self.loopback, srcPort: 40_000,
                                         dstPort: port, payload: $0)
                }
            }
        }
        return batch
    }

    /// The sequence numbers of the datagrams waiting on `descriptor`.
    func drain(_ descriptor: CInt) -> [Int] {
        var found: [Int] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while recv(descriptor, &buffer, buffer.count, 0) == 2 { found.append(Int(buffer[0]) << 8 | Int(buffer[1])) }
        return found
    }

    @Test func everyPartHandedOverIsSentAndFinishWaitsForIt() throws {
        let (descriptor, port) = try receiver()
        defer { close(descriptor) }
        let helper = try RawSendHelper()
        defer { helper.stop() }
        let packets = batch(200, to: port)
        let before = ContinuousClock.now
        helper.begin(packets, 0..<100)
        helper.begin(packets, 100..<200)
        let report = helper.finish()
        #expect(helper.outstandingParts == 0)
        #expect(report.fatal == nil && report.refused == 0)
        #expect(report.finishedAt.map { $0 >= before } == true)
        #expect(drain(descriptor) == Array(0..<200))
        // Nothing outstanding: finish returns at once, still telling when the last part was done.
        #expect(helper.finish().finishedAt == report.finishedAt)
    }

    @Test func stopSendsWhatIsOutstandingAndEndsTheThread() throws {
        let (descriptor, port) = try receiver()
        defer { close(descriptor) }
        let helper = try RawSendHelper()
        helper.begin(batch(50, to: port), 0..<50)
        helper.stop()
        #expect(helper.outstandingParts == 0)
        #expect(drain(descriptor).count == 50)
    }

    @Test("a batch leaves by sendmmsg runs in order; a packet no socket can take is counted refused alone and the rest still go")
    func batchedSendsKeepOrderAndRefuseOnePacketAlone() throws {
        let (descriptor, port) = try receiver()
        defer { close(descriptor) }
        // No IPv6 socket: the IPv6 packet in the middle cannot leave (it is never sent anywhere).
        let socket = try RawSendSocket(ipv6: false, linkLayer: .ip)
        var packets = batch(150, to: port)
        packets.append(ipv6Maximum: ProbeWriter.udpProbe6Length(payloadCount: 0)) { buffer in
            ProbeWriter.udpProbe6(into: buffer, src: 1, dst: 1, srcPort: 40_000, dstPort: port,
                                  payload: UnsafeRawBufferPointer(start: nil, count: 0))
        }
        let second = batch(150, to: port)
        for index in 0..<second.count { packets.append(second.packet(index), destination: Self.loopback) }
        let report = RawSocketIO.send(packets, 0 ..< packets.count, on: socket)
        #expect(report.consumed == 301 && report.refused == 1 && report.fatal == nil)
        #expect(drain(descriptor) == Array(0..<150) + Array(0..<150))
    }
}

