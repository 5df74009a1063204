import Testing
@testable import Packets

@Suite struct TCPHeaderTests {
    @Test func parsesRealSynAck() throws {
        let packet = try ParsedPacket.parse(ipv4Datagram: synAckBytes)
        guard case .tcp(let ip, let tcp) = packet else {
            Issue.record("expected TCP, got \(packet)")
            return
        }
        #expect(ip.source == hostA)
        #expect(tcp.sourcePort == 22)
        #expect(tcp.destinationPort == 54321)
        #expect(tcp.sequenceNumber == 0x1A2B_3C4D)
        #expect(tcp.acknowledgmentNumber == 0x0102_0305)
        #expect(tcp.headerLength == 40)
        #expect(tcp.flags == .synAck)
        #expect(tcp.flags.description == "SA")
        #expect(tcp.window == 65160)
        #expect(tcp.checksum == 0xA590)
        #expect(tcp.urgentPointer == 0)
        #expect(tcp.options.maximumSegmentSize == 1460)
        #expect(tcp.options.decoded == [
            .maximumSegmentSize(1460), .sackPermitted,
            .timestamps(value: 0x12_3456, echoReply: 0xA_BCDE), .noOperation, .windowScale(7),
        ])
        // Serializing the parsed header reproduces the wire bytes exactly.
        #expect(ip.bytes + tcp.bytes == synAckBytes)
    }

    @Test func roundTripEveryFlag() throws {
        let all: [TCPFlags] = [.fin, .syn, .rst, .psh, .ack, .urg, .ece, .cwr]
        #expect(all.reduce(TCPFlags()) { $0.union($1) }.rawValue == 0xFF)
        for flags in all + [[], .xmas, .synAck, [.rst, .ack], TCPFlags(rawValue: 0xFF)] {
            let header = TCPHeader(
                sourcePort: 40000, destinationPort: 443, sequenceNumber: .max,
                acknowledgmentNumber: 7, reservedBits: 0x0F, flags: flags, window: 0,
                checksum: 0xABCD, urgentPointer: 9)
            let parsed = try TCPHeader.parse(header.bytes)
            #expect(parsed == header)
            #expect(parsed.flags == flags)
        }
        #expect(TCPFlags.xmas.description == "FPU")
        #expect(TCPFlags().description == ".")
    }

    @Test func optionsRoundTripAndPad() throws {
        let options = try TCPOptions([
            .maximumSegmentSize(536), .windowScale(14), .sackPermitted,
            .unknown(kind: 30, data: [0xAA, 0xBB, 0xCC]),
        ])
        // 4 + 3 + 2 + 5 = 14 bytes, padded with end-of-list to 16.
        #expect(options.count == 16)
        #expect(options.bytes.suffix(2) == [0, 0])
        let header = TCPHeader(sourcePort: 1, destinationPort: 2, flags: .syn, options: options)
        #expect(header.headerLength == 36)
        #expect(header.bytes[12] == 0x90)
        let parsed = try TCPHeader.parse(header.bytes)
        #expect(parsed.options == options)
        #expect(parsed.options.decoded == [
            .maximumSegmentSize(536), .windowScale(14), .sackPermitted,
            .unknown(kind: 30, data: [0xAA, 0xBB, 0xCC]),
        ])
        #expect(parsed.options.maximumSegmentSize == 536)
    }

    @Test func knownKindWithWrongLengthIsKeptAsUnknown() throws {
        let options = try TCPOptions(bytes: [2, 3, 9, 1])  // "MSS" of length 3, then a NOP
        #expect(options.maximumSegmentSize == nil)
        #expect(options.decoded == [.unknown(kind: 2, data: [9]), .noOperation])
    }

    @Test func tooManyOptionsIsAnError() {
        let many = [TCPOption](repeating: .timestamps(value: 1, echoReply: 2), count: 5)
        #expect(throws: PacketError.optionsTooLong(.tcp, length: 50)) { try TCPOptions(many) }
    }

    @Test func lyingDataOffsetIsTypedError() {
        let segment = Array(synAckBytes[20...])
        var bad = segment
        bad[12] = 0x40  // data offset 4
        #expect(throws: PacketError.headerLengthTooSmall(.tcp, length: 16, minimum: 20)) {
            try TCPHeader.parse(bad)
        }
        bad[12] = 0xF0  // data offset 15 = 60 bytes, only 40 there
        #expect(throws: PacketError.headerLengthPastEnd(.tcp, length: 60, available: 40)) {
            try TCPHeader.parse(bad)
        }
        #expect(throws: PacketError.truncated(.tcp, needed: 20, available: 19)) {
            try TCPHeader.parse(Array(segment[..<19]))
        }
    }

    @Test func optionPastEndIsTypedError() {
        var bad = Array(synAckBytes[20...])
        bad[38] = 9  // the window-scale option (offset 17 in the options) claims 9 bytes
        #expect(throws: PacketError.optionPastEnd(.tcp, kind: 3, offset: 17)) { try TCPHeader.parse(bad) }
        bad[38] = 1
        #expect(throws: PacketError.optionLengthInvalid(.tcp, kind: 3, length: 1)) { try TCPHeader.parse(bad) }
    }

    @Test func optionsAfterEndOfListArePadding() throws {
        // End-of-list, then garbage that would be an invalid option: ignored, as RFC 9293 says.
        let options = try TCPOptions(bytes: [0, 0x55, 0x01, 0xFF])
        #expect(options.decoded.isEmpty)
        #expect(options.bytes == [0, 0x55, 0x01, 0xFF])
    }
}
