import Foundation
import Glibc

/// The live `RawPacketIO`: the raw send socket, the filtered AF_PACKET receive socket, poll, and
/// the monotonic clock.
final class RawSocketIO: RawPacketIO {
    private let sender: RawSendSocket
    private let receiver: RawReceiveSocket
    /// Sends half of every big batch on a second core (nil on a single-core machine).
    private let helper: RawSendHelper?
    /// Below this many packets a batch is not worth splitting.
    static let splitThreshold = 16

    init(filter: [BPFInstruction]) throws(ScanError) {
        do {
            receiver = try RawReceiveSocket(filter: filter)
            sender = try RawSendSocket()
            helper = ProcessInfo.processInfo.activeProcessorCount > 1 ? try RawSendHelper() : nil
        } catch {
            if error == .notPermitted || error == .accessDenied {
                throw ScanError.needsPrivilege("raw packet scanning")
            }
            throw error.scanError("socket")
        }
    }

    deinit { helper?.stop() }

    var now: ContinuousClock.Instant { .now }

    func send(_ packets: ArraySlice<OutgoingPacket>) throws(ScanError) -> SendReport {
        guard let helper, packets.count >= Self.splitThreshold else {
            return try Self.checked(Self.send(packets, on: sender))
        }
        let middle = packets.startIndex + packets.count / 2
        helper.begin(packets[middle...])
        let first = Self.send(packets[..<middle], on: sender)
        let second = helper.wait()
        _ = try Self.checked(second)
        // Counted from the front: if the first half stopped short (the kernel had no room), the
        // second half is offered again later; a repeated probe is harmless, a lost one is not.
        guard first.consumed == middle - packets.startIndex else { return try Self.checked(first) }
        return SendReport(consumed: first.consumed + second.consumed, refused: first.refused + second.refused,
                          lastRefusal: second.lastRefusal ?? first.lastRefusal, fatal: nil)
    }

    /// Sends from the front until the kernel has no room or fails for good.
    static func send(_ packets: ArraySlice<OutgoingPacket>, on socket: RawSendSocket) -> SendReport {
        var report = SendReport(consumed: 0)
        for packet in packets {
            do {
                try socket.send(packet.bytes, to: packet.destination)
            } catch {
                if error.isLocalShortage { break }
                if error == .badDescriptor || error == .invalidArgument {
                    report.fatal = error.scanError("sendto")
                    break
                }
                // A local firewall (EPERM), no route, and the like: this probe is lost, the scan goes on.
                report.refused += 1
                report.lastRefusal = error.message
            }
            report.consumed += 1
        }
        return report
    }

    private static func checked(_ report: SendReport) throws(ScanError) -> SendReport {
        if let fatal = report.fatal { throw fatal }
        return report
    }

    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(ScanError) -> Int {
        do {
            return try receiver.receive(limit: limit, handle)
        } catch {
            throw error.scanError("recv")
        }
    }

    func wait(until deadline: ContinuousClock.Instant) throws(ScanError) {
        let remaining = deadline - .now
        do {
            try RawSyscalls.waitReadable(receiver.descriptor, timeout: remaining > .zero ? remaining : .zero)
        } catch {
            throw error.scanError("poll")
        }
    }
}
