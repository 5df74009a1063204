/// Probes ready for the raw send socket, packed one after another into a single buffer: a batch
/// costs a few allocations however many packets it holds, and `removeAll` keeps them for the next.
/// A value: a copy handed to another thread stays as it was while this one is refilled (the buffer
/// is copied on the first write after such a hand-off).
struct PacketBatch: Sendable {
    private var bytes: [UInt8]
    /// Bytes of `bytes` in use.
    private var used = 0
    /// Where each packet ends in `bytes` (it starts where the one before ended).
    private var ends: [Int] = []
    /// The IPv4 destination of each packet (sendto's address). An IPv6 packet's entry is 0: the
    /// send path reads its destination from the packet's own header (`ipv6Destination`).
    private(set) var destinations: [UInt32] = []

    init(capacity: Int = 0, bytesPerPacket: Int = 64) {
        bytes = [UInt8](repeating: 0, count: capacity * bytesPerPacket)
        ends.reserveCapacity(capacity)
        destinations.reserveCapacity(capacity)
    }

    init(_ packets: [(bytes: [UInt8], destination: UInt32)]) {
        self.init(capacity: packets.count)
        for packet in packets { append(packet.bytes, destination: packet.destination) }
    }

    var count: Int { destinations.count }
    var isEmpty: Bool { destinations.isEmpty }

    /// Appends one packet, written by `write` into at most `maximum` bytes (it returns how many).
    mutating func append(destination: UInt32, maximum: Int,
                         _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        if bytes.count < used + maximum {
            bytes.append(contentsOf: repeatElement(0, count: max(used + maximum - bytes.count, bytes.count)))
        }
        let start = used
        let length = bytes.withUnsafeMutableBytes { all in
            write(UnsafeMutableRawBufferPointer(rebasing: all[start ..< start + maximum]))
        }
        precondition(length >= 0 && length <= maximum, "a packet writer overran its space")
        used += length
        ends.append(used)
        destinations.append(destination)
    }

    /// Appends one IPv6 packet (header included), written as `append(destination:maximum:_:)` writes.
    mutating func append(ipv6Maximum maximum: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        append(destination: 0, maximum: maximum, write)
    }

    mutating func append(_ packet: [UInt8], destination: UInt32) {
        append(destination: destination, maximum: packet.count) { buffer in
            buffer.copyBytes(from: packet)
            return packet.count
        }
    }

    /// Empties the batch, keeping its memory.
    mutating func removeAll() {
        used = 0
        ends.removeAll(keepingCapacity: true)
        destinations.removeAll(keepingCapacity: true)
    }

    /// The bytes of packet `index` within the buffer `withBytes` lends.
    func range(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : ends[index - 1]) ..< ends[index]
    }

    /// Lends the whole buffer; cut packets out of it with `range(of:)`.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<used])) }
    }

    /// A copy of packet `index`'s bytes.
    func packet(_ index: Int) -> [UInt8] { Array(bytes[range(of: index)]) }
}
