import Testing
@testable import Packets

/// The acceptance criterion for the parsers: 1,000,000 hostile inputs through
/// `ParsedPacket.parse` without a trap. Inputs come from a seeded SplitMix64, so a run is
/// reproducible; every input is a valid seed packet mutated (bytes flipped, cut short, extended,
/// length fields rewritten, spliced) or plain random bytes. The loop reuses one buffer and
/// parses it in place, so the cost measured is the parser's, not the generator's.
@Suite struct FuzzTests {
    static let inputCount = 1_000_000

    @Test func millionMutatedIPv4DatagramsNeverTrap() {
        var rng = SplitMix64(seed: 0x706F_7274_6772_6964)  // "portgrid"
        let seeds = FuzzSeeds.ipv4.map(\.bytes)
        var buffer = [UInt8](repeating: 0, count: 512)
        var tally = Tally()
        buffer.withUnsafeMutableBytes { buffer in
            for _ in 0..<Self.inputCount {
                let length = Mutator.fill(buffer, rng: &rng, seeds: seeds)
                let input = UnsafeRawBufferPointer(rebasing: buffer[..<length])
                do {
                    let packet = try ParsedPacket.parse(ipv4Datagram: input)
                    tally.count(packet, length: length)
                } catch {
                    tally.rejected += 1
                }
            }
        }
        #expect(tally.total == Self.inputCount)
        #expect(tally.inconsistent == 0, "a parsed packet claimed more bytes than it was given")
        // The mutations must actually reach every decoder, and both outcomes must be common.
        #expect(tally.rejected > Self.inputCount / 10)
        #expect(tally.tcp > 10_000 && tally.udp > 10_000 && tally.icmp > 10_000 && tally.other > 1_000)
        #expect(tally.icmpErrors > 5_000)
    }

    @Test func mutatedIPv6PacketsNeverTrap() {
        var rng = SplitMix64(seed: 0x7067_7636)
        let seeds = FuzzSeeds.ipv6.map(\.bytes)
        var buffer = [UInt8](repeating: 0, count: 512)
        var parsed = 0
        buffer.withUnsafeMutableBytes { buffer in
            for _ in 0..<100_000 {
                let length = Mutator.fill(buffer, rng: &rng, seeds: seeds, version: 6)
                if (try? ParsedIPv6Packet.parse(ipv6Packet: UnsafeRawBufferPointer(rebasing: buffer[..<length]))) != nil {
                    parsed += 1
                }
            }
        }
        #expect(parsed > 10_000)
    }
}

/// Outcome counts, kept in plain integers so the hot loop does no bookkeeping allocation.
private struct Tally {
    var tcp = 0, udp = 0, icmp = 0, icmpErrors = 0, other = 0, rejected = 0, inconsistent = 0
    var total: Int { tcp + udp + icmp + other + rejected }

    mutating func count(_ packet: ParsedPacket, length: Int) {
        if Int(packet.ip.totalLength) > length || packet.ip.headerLength > Int(packet.ip.totalLength) {
            inconsistent += 1
        }
        switch packet {
        case .tcp(let ip, let tcp):
            self.tcp += 1
            if ip.headerLength + tcp.headerLength > length { inconsistent += 1 }
        case .udp(let ip, let udp, let payload):
            self.udp += 1
            if ip.headerLength + 8 + payload.count > length || payload.count != udp.payloadLength { inconsistent += 1 }
        case .icmp(_, let message):
            icmp += 1
            if message.quoted != nil { icmpErrors += 1 }
        case .other:
            other += 1
        }
    }
}

/// Writes one fuzz input into `buffer` and returns its length.
private enum Mutator {
    static func fill(
        _ buffer: UnsafeMutableRawBufferPointer, rng: inout SplitMix64, seeds: [[UInt8]], version: UInt8 = 4
    ) -> Int {
        let seed = seeds[rng.below(seeds.count)]
        let strategy = rng.below(8)
        var length = copy(seed, into: buffer)
        switch strategy {
        case 0:  // random bytes behind a plausible first byte, half the time with a matching total length
            length = rng.below(100)
            for index in 0..<length { buffer[index] = rng.byte() }
            if length > 0 { buffer[0] = version << 4 | UInt8(rng.below(16)) }
            if version == 4, length > 9 {
                buffer[9] = [1, 6, 17, 47][rng.below(4)]
                if rng.below(2) == 0 { setTotalLength(length, buffer, version: version) }
            }
        case 1:  // flip a few bytes
            for _ in 0...rng.below(4) { buffer[rng.below(length)] ^= UInt8(1 + rng.below(255)) }
        case 2:  // cut short
            length = rng.below(length)
        case 3:  // extend with random bytes, half the time covered by the IP length
            let extra = 1 + rng.below(64)
            for index in length..<length + extra { buffer[index] = rng.byte() }
            length += extra
            if rng.below(2) == 0 { setTotalLength(length, buffer, version: version) }
        case 4:  // rewrite a length field with a random value
            lie(about: buffer, length: length, rng: &rng, version: version)
        case 5:  // lie, then flip
            lie(about: buffer, length: length, rng: &rng, version: version)
            buffer[rng.below(length)] = rng.byte()
        case 6:  // overwrite a random run with random bytes
            let start = rng.below(length)
            for index in start..<min(length, start + 1 + rng.below(16)) { buffer[index] = rng.byte() }
        default:  // splice: this seed's head onto another seed's tail, lengths left as they fall
            let other = seeds[rng.below(seeds.count)]
            let cut = rng.below(length)
            let from = rng.below(other.count)
            let tail = min(other.count - from, buffer.count - cut)
            for index in 0..<tail { buffer[cut + index] = other[from + index] }
            length = cut + tail
        }
        return length
    }

    private static func copy(_ seed: [UInt8], into buffer: UnsafeMutableRawBufferPointer) -> Int {
        seed.withUnsafeBytes { buffer.copyMemory(from: $0) }
        return seed.count
    }

    private static func setTotalLength(_ length: Int, _ buffer: UnsafeMutableRawBufferPointer, version: UInt8) {
        // IPv4 total length at 2-3; IPv6 payload length (after the 40-byte header) at 4-5.
        let value = version == 4 ? length : max(length - 40, 0)
        let offset = version == 4 ? 2 : 4
        guard length > offset + 1 else { return }
        buffer[offset] = UInt8(truncatingIfNeeded: value >> 8)
        buffer[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    /// Rewrites one of the fields that say how long something is: the IP header length or
    /// total length, the TCP data offset, the UDP length, or the quoted IP header length.
    private static func lie(
        about buffer: UnsafeMutableRawBufferPointer, length: Int, rng: inout SplitMix64, version: UInt8
    ) {
        let ipLength = version == 4 ? Int(buffer[0] & 0x0F) * 4 : 40
        let candidates: [Int] = version == 4
            ? [0, 2, 3, ipLength + 12, ipLength + 4, ipLength + 5, ipLength + 8, ipLength + 20, ipLength + 1]
            : [4, 5, 52, 44, 45, 48, 49]
        let offset = candidates[rng.below(candidates.count)]
        guard offset < length else { return }
        if offset == 0 || (version == 4 && offset == ipLength + 8) {
            buffer[offset] = 0x40 | UInt8(rng.below(16))  // keep the version, lie about IHL
        } else {
            buffer[offset] = rng.byte()
        }
    }
}
