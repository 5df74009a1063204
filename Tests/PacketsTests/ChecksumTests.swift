import Testing
@testable import Packets

@Suite struct ChecksumTests {
    @Test func rfc1071Example() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement sum).
        var sum = InternetChecksum()
        sum.add(hex("00 01 f2 03 f4 f5 f6 f7"))
        #expect(sum.foldedSum == 0xDDF2)
        #expect(sum.checksum == 0x220D)
    }

    @Test func knownIPv4HeaderChecksum() {
        // The classic worked example: header checksum b861.
        let header = hex("4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7")
        #expect(verifies(header))
        var zeroed = header
        zeroed[10] = 0
        zeroed[11] = 0
        #expect(InternetChecksum.checksum(zeroed) == 0xB861)
    }

    @Test func oddLengthPadsWithZero() {
        #expect(InternetChecksum.checksum([0x12, 0x34, 0x56]) == ~UInt16(0x1234 &+ 0x5600))
    }

    @Test func chunksAddUpLikeTheWhole() {
        let data: [UInt8] = (0..<101).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        for split in [0, 1, 2, 3, 50, 51, 100, 101] {
            var chunked = InternetChecksum()
            chunked.add(Array(data[..<split]))
            chunked.add(Array(data[split...]))
            #expect(chunked.checksum == InternetChecksum.checksum(data), "split at \(split)")
        }
    }

    @Test func wordsAfterAnOddByteStayInByteOrder() {
        var mixed = InternetChecksum()
        mixed.add([0xAB])
        mixed.add(UInt16(0x1234))
        mixed.add(UInt32(0x5678_9ABC))
        mixed.add(UInt128(0xDEF0) << 112)
        var bytes = InternetChecksum()
        bytes.add([0xAB, 0x12, 0x34, 0x56, 0x78, 0x9A, 0xBC, 0xDE, 0xF0] + [UInt8](repeating: 0, count: 14))
        #expect(mixed.foldedSum == bytes.foldedSum)
    }

    @Test func synAckChecksumsVerify() {
        #expect(verifies(Array(synAckBytes[..<20])))
        #expect(verifies(Array(synAckBytes[20...]), .ipv4(source: hostA, destination: hostB, protocol: .tcp)))
        // Wrong pseudo-header (addresses swapped is the same sum, so change one) must fail.
        #expect(!verifies(Array(synAckBytes[20...]), .ipv4(source: hostA, destination: hostB &+ 1, protocol: .tcp)))
        var corrupted = synAckBytes
        corrupted[45] ^= 0x01
        #expect(!verifies(Array(corrupted[20...]), .ipv4(source: hostA, destination: hostB, protocol: .tcp)))
    }

    @Test func transportChecksumMatchesVerify() {
        var tcp = TCPHeader(sourcePort: 1234, destinationPort: 80, sequenceNumber: 42, flags: .syn)
        tcp.updateChecksum(source: hostA, destination: hostB, payload: [1, 2, 3])
        #expect(verifies(tcp.bytes + [1, 2, 3], .ipv4(source: hostA, destination: hostB, protocol: .tcp)))
        tcp.updateChecksum(source: hostA6, destination: hostB6)
        #expect(verifies(tcp.bytes, .ipv6(source: hostA6, destination: hostB6, nextHeader: .tcp)))
        #expect(!verifies(tcp.bytes, .ipv6(source: hostA6, destination: hostA6, nextHeader: .tcp)))
    }

    @Test func ipv6PseudoHeaderKnownValue() {
        // An ICMPv6 echo request ::1 → ::1, id 0x1234 seq 1, no payload. Sum by hand:
        // pseudo-header: 1 + 1 (addresses) + 8 (length) + 58 (next header) = 0x44;
        // message words: 8000 0000 1234 0001 → 0x9235; total 0x9279; checksum ~0x9279 = 0x6d86.
        let message = ICMPv6Message.echoRequest(ICMPEcho(identifier: 0x1234, sequence: 1))
        #expect(message.bytes(source: 1, destination: 1) == hex("80 00 6d 86 12 34 00 01"))
    }
}
