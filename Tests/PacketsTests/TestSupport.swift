@testable import Packets

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough to drive a fuzzer, with a
/// seed so every run feeds the same inputs and a failure can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (bound > 0). Modulo bias is irrelevant for fuzzing.
    mutating func below(_ bound: Int) -> Int { Int(truncatingIfNeeded: next() % UInt64(bound)) }

    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

/// "45 00 00 3c ..." → bytes. Test fixtures are written as hex dumps so they read like tcpdump -x.
func hex(_ text: String) -> [UInt8] {
    let digits = text.unicodeScalars.compactMap { scalar -> UInt8? in
        switch scalar {
        case "0"..."9": UInt8(scalar.value - 48)
        case "a"..."f": UInt8(scalar.value - 87)
        case "A"..."F": UInt8(scalar.value - 55)
        default: nil
        }
    }
    return stride(from: 0, to: digits.count - 1, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
}

/// Addresses used throughout: documentation-style private addresses, never scanned.
let hostA: UInt32 = 0xC0A8_010A  // 192.168.1.10
let hostB: UInt32 = 0xC0A8_0164  // 192.168.1.100
let router: UInt32 = 0x0A00_0001  // 10.0.0.1
let hostA6: UInt128 = 0x2001_0db8_0000_0000_0000_0000_0000_0001  // 2001:db8::1
let hostB6: UInt128 = 0x2001_0db8_0000_0000_0000_0000_0000_0002  // 2001:db8::2

/// A real-shaped Linux SYN/ACK: 192.168.1.10:22 → 192.168.1.100:54321, DF, TTL 64,
/// seq 0x1A2B3C4D ack 0x01020305, window 65160, options MSS 1460, SACK-permitted,
/// timestamps (0x123456, 0xABCDE), NOP, window scale 7. Checksums computed independently.
let synAckBytes = hex("""
    45 00 00 3c 00 00 40 00 40 06 b6 fd c0 a8 01 0a c0 a8 01 64
    00 16 d4 31 1a 2b 3c 4d 01 02 03 05 a0 12 fe 88 a5 90 00 00
    02 04 05 b4 04 02 08 0a 00 12 34 56 00 0a bc de 01 03 03 07
    """)

/// Wraps an ICMP message in an IPv4 header from `source` to `destination`, checksums set.
func icmpDatagram(_ message: [UInt8], from source: UInt32, to destination: UInt32) -> [UInt8] {
    var ip = IPv4Header(
        totalLength: UInt16(20 + message.count), ttl: 250, protocol: .icmp,
        source: source, destination: destination)
    ip.updateChecksum()
    return ip.bytes + message
}

/// An ICMP error of `type`/`code` quoting `quote` (an IP header plus transport bytes), checksummed.
func icmpError(type: UInt8, code: UInt8, quoting quote: some Collection<UInt8>) -> [UInt8] {
    var message: [UInt8] = [type, code, 0, 0, 0, 0, 0, 0] + quote
    let checksum = InternetChecksum.checksum(message)
    message[2] = UInt8(checksum >> 8)
    message[3] = UInt8(checksum & 0xFF)
    return message
}

/// Whether a received transport segment (checksum field as received) checks out under `pseudo`.
/// Only the tests verify: the scanner matches replies by their cookie, and the kernel has already
/// dropped segments with a bad checksum before a raw socket sees them.
func verifies(_ segment: [UInt8], _ pseudo: PseudoHeader) -> Bool {
    var accumulator = pseudo.seed(length: segment.count)
    accumulator.add(segment)
    return accumulator.isValid
}

/// Whether data that carries its own checksum (an IPv4 header, an ICMPv4 message) checks out.
func verifies(_ bytes: [UInt8]) -> Bool {
    var accumulator = InternetChecksum()
    accumulator.add(bytes)
    return accumulator.isValid
}
