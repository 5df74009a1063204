/// A 48-bit Ethernet (MAC) address, as an Ethernet frame's destination.
struct LinkAddress: Hashable, Sendable, CustomStringConvertible {
    /// The six bytes, first byte in the top of the 48 bits.
    let value: UInt64

    init(value: UInt64) { self.value = value & 0xFFFF_FFFF_FFFF }

    /// `aa:bb:cc:dd:ee:ff` (either case), as /proc/net/arp and `ip neigh` write it.
    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 6 else { return nil }
        var value: UInt64 = 0
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            value = value << 8 | UInt64(byte)
        }
        self.init(value: value)
    }

    /// A neighbour a frame can be addressed to: not all zeros (a NOARP entry), not a group address
    /// (multicast or broadcast: the low bit of the first byte).
    var isUsableUnicast: Bool { value != 0 && (value >> 40) & 1 == 0 }

    /// The six bytes into `target` (at least 6 bytes long), first byte first.
    func write(into target: UnsafeMutableRawBufferPointer) {
        for index in 0..<6 { target[index] = UInt8(truncatingIfNeeded: value >> UInt64(40 - 8 * index)) }
    }

    var description: String {
        (0..<6).map { index in
            let byte = UInt8(truncatingIfNeeded: value >> UInt64(40 - 8 * index))
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined(separator: ":")
    }
}
