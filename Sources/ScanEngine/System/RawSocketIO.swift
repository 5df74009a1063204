import FoundationEssentials
import Glibc
import PortgridCore

/// The live `RawPacketIO`: the raw send socket (and a second send thread), the filtered AF_PACKET
/// receive sockets (one per family the scan has targets of), poll, and the monotonic clock.
final class RawSocketIO: RawPacketIO {
    private let sender: RawSendSocket
    private let receivers: [RawReceiveSocket]
    private let receiveDescriptors: [CInt]
    /// Sends the back part of every big batch on a second core (nil on a single-core machine).
    private let helper: RawSendHelper?
    private var split = RawSendSplit()
    /// Below this many packets a batch is not worth splitting.
    static let splitThreshold = 16

    /// The sockets for replies to probes from `ports` (and echoes with `echoIdentifier`), for the
    /// families asked for; with `interface` (`-e`) sent and received on it alone; IPv4 probes as
    /// Ethernet frames where they can be, unless `linkLayer` is `.ip` (`--send-ip`).
    convenience init(repliesTo ports: SourcePortRange, echoIdentifier: UInt16, ipv4: Bool = true,
                     ipv6: Bool = false, interface: NetworkInterface? = nil,
                     linkLayer: LinkLayerChoice = .automatic) throws(ScanError) {
        try self.init(
            ipv4Filter: ipv4 ? PacketFilterProgram.replies(to: ports, echoIdentifier: echoIdentifier) : nil,
            ipv6Filter: ipv6 ? PacketFilterProgram.ipv6Replies(to: ports, echoIdentifier: echoIdentifier) : nil,
            interface: interface, linkLayer: linkLayer)
    }

    init(ipv4Filter: [BPFInstruction]?, ipv6Filter: [BPFInstruction]? = nil,
         interface: NetworkInterface? = nil, linkLayer: LinkLayerChoice = .automatic) throws(ScanError) {
        do {
            let index = interface?.index ?? 0
            var receivers: [RawReceiveSocket] = []
            if let ipv4Filter { receivers.append(try RawReceiveSocket(filter: ipv4Filter, interfaceIndex: index)) }
            if let ipv6Filter {
                receivers.append(try RawReceiveSocket(filter: ipv6Filter, ethernetProtocol: RawSyscalls.ethernetIPv6,
                                                      interfaceIndex: index))
            }
            self.receivers = receivers
            receiveDescriptors = receivers.map(\.descriptor)
            sender = try RawSendSocket(ipv6: ipv6Filter != nil, interface: interface, linkLayer: linkLayer)
            helper = ProcessInfo.processInfo.activeProcessorCount > 1
                ? try RawSendHelper(ipv6: ipv6Filter != nil, interface: interface, linkLayer: linkLayer) : nil
        } catch {
            if error == .notPermitted || error == .accessDenied {
                throw ScanError.needsPrivilege("raw packet scanning")
            }
            throw error.scanError("socket")
        }
    }

    deinit { helper?.stop() }

    var now: ContinuousClock.Instant { .now }

    func send(_ packets: PacketBatch, _ range: Range<Int>) throws(ScanError) -> SendReport {
        guard let helper, range.count >= Self.splitThreshold else {
            return try Self.checked(Self.send(packets, range, on: sender))
        }
        let earlier = helper.collect()
        split.batchReady(helperOutstanding: helper.outstandingParts)
        let middle = range.upperBound - split.part(of: range.count)
        helper.begin(packets, middle ..< range.upperBound)
        let first = Self.send(packets, range.lowerBound ..< middle, on: sender)
        var report = first.merging(earlier)
        report.finishedAt = nil
        // Counted from the front: if the first part stopped short (the kernel had no room), the
        // helper's part is offered again later; a repeated probe is harmless, a lost one is not.
        if first.consumed == middle - range.lowerBound { report.consumed = range.count }
        return try Self.checked(report)
    }

    func finishSends() throws(ScanError) -> SendReport {
        guard let helper else { return SendReport(consumed: 0) }
        return try Self.checked(helper.finish())
    }

    /// Sends from the front until the kernel has no room or fails for good: runs of packets by
    /// sendmmsg, and a packet that could not go with its run alone, for its error.
    static func send(_ packets: PacketBatch, _ range: Range<Int>, on socket: RawSendSocket) -> SendReport {
        packets.withBytes { bytes in
            var report = SendReport(consumed: 0)
            var index = range.lowerBound
            while index < range.upperBound {
                let sent = socket.sendMany(packets, bytes, index ..< range.upperBound)
                index += sent
                report.consumed += sent
                guard index < range.upperBound else { break }
                do throws(Errno) {
                    try socket.send(UnsafeRawBufferPointer(rebasing: bytes[packets.range(of: index)]),
                                    to: packets.destinations[index])
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
                index += 1
            }
            return report
        }
    }

    private static func checked(_ report: SendReport) throws(ScanError) -> SendReport {
        if let fatal = report.fatal { throw fatal }
        return report
    }

    func receive(limit: Int, _ handle: (UnsafeRawBufferPointer) -> Void) throws(ScanError) -> Int {
        do {
            var count = 0
            for receiver in receivers where count < limit {
                count += try receiver.receive(limit: limit - count, handle)
            }
            return count
        } catch {
            throw error.scanError("recv")
        }
    }

    func wait(until deadline: ContinuousClock.Instant) throws(ScanError) {
        let remaining = deadline - .now
        do {
            try RawSyscalls.waitReadable(receiveDescriptors, timeout: remaining > .zero ? remaining : .zero)
        } catch {
            throw error.scanError("poll")
        }
    }
}
