import Glibc

/// The live `RawPacketIO`: the raw send socket, the filtered AF_PACKET receive socket, poll, and
/// the monotonic clock.
final class RawSocketIO: RawPacketIO {
    private let sender: RawSendSocket
    private let receiver: RawReceiveSocket

    init(filter: [BPFInstruction]) throws(ScanError) {
        do {
            receiver = try RawReceiveSocket(filter: filter)
            sender = try RawSendSocket()
        } catch {
            if error == .notPermitted || error == .accessDenied {
                throw ScanError.needsPrivilege("raw packet scanning")
            }
            throw error.scanError("socket")
        }
    }

    var now: ContinuousClock.Instant { .now }

    func send(_ packets: ArraySlice<OutgoingPacket>) throws(ScanError) -> SendReport {
        var report = SendReport(consumed: 0)
        for packet in packets {
            do {
                try sender.send(packet.bytes, to: packet.destination)
            } catch {
                if error.isLocalShortage { break }
                if error == .badDescriptor || error == .invalidArgument { throw error.scanError("sendto") }
                // A local firewall (EPERM), no route, and the like: this probe is lost, the scan goes on.
                report.refused += 1
                report.lastRefusal = error.message
            }
            report.consumed += 1
        }
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
