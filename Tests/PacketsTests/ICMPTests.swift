import Testing
@testable import Packets

@Suite struct ICMPv4Tests {
    /// The SYN probe every error test quotes.
    let probe = PacketBuilder.tcpProbe(
        src: hostB, dst: hostA, srcPort: 61_000, dstPort: 8080, seq: 0xDEAD_BEEF, mss: 1460, ipID: 777)

    @Test func echoRoundTrip() throws {
        let echo = ICMPEcho(identifier: 0x4242, sequence: 7, payload: Array("portgrid".utf8))
        for message in [ICMPv4Message.echoRequest(echo), .echoReply(echo)] {
            let bytes = message.bytes
            #expect(verifies(bytes))
            #expect(try ICMPv4Message.parse(bytes) == message)
        }
        #expect(ICMPv4Message.echoReply(echo).bytes[0] == 0)
        #expect(ICMPv4Message.echoRequest(echo).bytes[0] == 8)
    }

    @Test(arguments: UnreachableCode.allCases)
    func everyUnreachableCode(code: UnreachableCode) throws {
        #expect(UnreachableCode.allCases.count == 16)
        let message = icmpError(type: 3, code: code.rawValue, quoting: probe.prefix(28))
        let datagram = icmpDatagram(message, from: router, to: hostB)
        guard case .icmp(let ip, .destinationUnreachable(let parsedCode, let quoted)) =
            try ParsedPacket.parse(ipv4Datagram: datagram)
        else {
            Issue.record("not parsed as unreachable")
            return
        }
        #expect(ip.source == router)
        #expect(parsedCode == code)
        #expect(quoted.ip.destination == hostA)
        #expect(quoted.destinationPort == 8080)
        // The enum serializes back to the same message.
        #expect(ICMPv4Message.destinationUnreachable(parsedCode, quoted).bytes == message)
    }

    @Test func unassignedUnreachableCodeKeepsTheQuote() throws {
        let message = try ICMPv4Message.parse(icmpError(type: 3, code: 16, quoting: probe.prefix(28)))
        guard case .otherError(type: 3, code: 16, let quoted) = message else {
            Issue.record("got \(message)")
            return
        }
        #expect(quoted.sourcePort == 61_000)
    }

    @Test func quotedTCPProbeParsesBackToItsIdentity() throws {
        // RFC 792 quoting (header + 8 bytes) and RFC 1812 quoting (as much as fits) alike.
        for quote in [Array(probe.prefix(28)), probe] {
            let message = try ICMPv4Message.parse(icmpError(type: 3, code: 13, quoting: quote))
            let quoted = try #require(message.quoted)
            #expect(message.type == 3 && message.code == 13)
            #expect(quoted.ip.source == hostB)
            #expect(quoted.ip.destination == hostA)
            #expect(quoted.ip.identification == 777)
            #expect(quoted.ip.protocol == .tcp)
            #expect(quoted.sourcePort == 61_000)
            #expect(quoted.destinationPort == 8080)
            #expect(quoted.tcpSequence == 0xDEAD_BEEF)
            #expect(quoted.transport.count == 8)
        }
    }

    @Test func quotedUDPAndShortQuotes() throws {
        let udp = PacketBuilder.udpProbe(src: hostB, dst: hostA, srcPort: 50_001, dstPort: 161, payload: [1, 2, 3])
        let quoted = try #require(try ICMPv4Message.parse(icmpError(type: 3, code: 3, quoting: udp)).quoted)
        #expect(quoted.sourcePort == 50_001)
        #expect(quoted.destinationPort == 161)
        #expect(quoted.tcpSequence == nil)  // not TCP
        // A router that quotes only 4 transport bytes still gives the ports; 2 bytes give nothing.
        let four = try #require(try ICMPv4Message.parse(icmpError(type: 3, code: 3, quoting: udp.prefix(24))).quoted)
        #expect(four.destinationPort == 161)
        let two = try #require(try ICMPv4Message.parse(icmpError(type: 3, code: 3, quoting: udp.prefix(22))).quoted)
        #expect(two.destinationPort == nil && two.transport.count == 2)
        // A quote whose IP header is cut short is an error, not a guess.
        #expect(throws: PacketError.headerLengthPastEnd(.quotedIPv4, length: 20, available: 19)) {
            try ICMPv4Message.parse(icmpError(type: 3, code: 3, quoting: udp.prefix(19)))
        }
    }

    @Test func quoteWithIPOptions() throws {
        var ip = IPv4Header(
            totalLength: 60, protocol: .tcp, source: hostB, destination: hostA,
            options: try IPv4Options(bytes: [1, 1, 1, 1]))
        ip.updateChecksum()
        let quote = ip.bytes + hex("ee 48 00 50 00 00 00 2a")
        let quoted = try #require(try ICMPv4Message.parse(icmpError(type: 11, code: 0, quoting: quote)).quoted)
        #expect(quoted.ip.headerLength == 24)
        #expect(quoted.sourcePort == 61_000 && quoted.destinationPort == 80 && quoted.tcpSequence == 42)
    }

    @Test func timeExceededQuotingAPing() throws {
        let ping = PacketBuilder.icmpEcho(src: hostB, dst: hostA, identifier: 0x0BAD, sequence: 3, payload: [0xAA])
        for code in TimeExceededCode.allCases {
            let message = try ICMPv4Message.parse(icmpError(type: 11, code: code.rawValue, quoting: ping.prefix(28)))
            guard case .timeExceeded(let parsed, let quoted) = message else {
                Issue.record("got \(message)")
                return
            }
            #expect(parsed == code)
            #expect(quoted.transport.icmpType == 8)
            #expect(quoted.transport.icmpIdentifier == 0x0BAD)
            #expect(quoted.transport.icmpSequence == 3)
            #expect(quoted.sourcePort == nil)
        }
    }

    @Test("timestamp request and reply (13, 14) round-trip: identifier, sequence and the three timestamps")
    func timestampRoundTrip() throws {
        let stamp = ICMPEcho(identifier: 0x0D0D, sequence: 7, payload: [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3])
        for message in [ICMPv4Message.timestampRequest(stamp), .timestampReply(stamp)] {
            #expect(try ICMPv4Message.parse(message.bytes) == message)
            #expect(InternetChecksum.checksum(message.bytes) == 0)
        }
        #expect(ICMPv4Message.timestampReply(stamp).type == 14 && ICMPv4Message.timestampRequest(stamp).type == 13)
        // The probe writer's request is the same message inside an IPv4 header.
        var buffer = [UInt8](repeating: 0, count: ProbeWriter.icmpTimestampLength)
        _ = buffer.withUnsafeMutableBytes {
            ProbeWriter.icmpTimestamp(into: $0, src: 0xC612_0001, dst: 0xC612_0002, identifier: 0x0D0D, sequence: 7)
        }
        #expect(try ICMPv4Message.parse(Array(buffer[20...]))
                == .timestampRequest(ICMPEcho(identifier: 0x0D0D, sequence: 7, payload: [UInt8](repeating: 0, count: 12))))
        #expect(try IPv4Header.parse(buffer).computedChecksum == IPv4Header.parse(buffer).checksum)
    }

    @Test func otherTypesAndTruncation() throws {
        #expect(try ICMPv4Message.parse(hex("0f 00 00 00 00 00 00 00")) == .other(type: 15, code: 0))
        #expect(throws: PacketError.truncated(.icmpv4, needed: 8, available: 7)) {
            try ICMPv4Message.parse(hex("00 00 00 00 00 00 00"))
        }
    }
}

@Suite struct ICMPv6Tests {
    @Test func echoRoundTrip() throws {
        let echo = ICMPEcho(identifier: 1, sequence: 2, payload: [3, 4, 5])
        for message in [ICMPv6Message.echoRequest(echo), .echoReply(echo)] {
            let bytes = message.bytes(source: hostA6, destination: hostB6)
            #expect(verifies(bytes, .ipv6(source: hostA6, destination: hostB6, nextHeader: .icmpv6)))
            #expect(try ICMPv6Message.parse(bytes) == message)
        }
    }

    @Test(arguments: ICMPv6UnreachableCode.allCases)
    func unreachableQuotingATCPProbe(code: ICMPv6UnreachableCode) throws {
        let probe = PacketBuilder.tcpProbe6(
            src: hostA6, dst: hostB6, srcPort: 33_000, dstPort: 22, seq: 99, mss: 1220)
        let message = ICMPv6Message.destinationUnreachable(
            code, QuotedIPv6Datagram(ip: try IPv6Header.parse(probe), transport: QuotedTransport(
                protocol: .tcp, bytes: probe[40...])))
        let bytes = message.bytes(source: hostB6, destination: hostA6)
        #expect(bytes.count == 8 + 40 + 8)
        guard case .destinationUnreachable(let parsedCode, let quoted) = try ICMPv6Message.parse(bytes) else {
            Issue.record("not unreachable")
            return
        }
        #expect(parsedCode == code)
        #expect(quoted.ip.destination == hostB6)
        #expect(quoted.sourcePort == 33_000 && quoted.destinationPort == 22 && quoted.tcpSequence == 99)
    }

    @Test func otherMessages() throws {
        #expect(try ICMPv6Message.parse(hex("87 00 00 00 00 00 00 00")) == .other(type: 135, code: 0))
        #expect(throws: PacketError.truncated(.quotedIPv6, needed: 40, available: 8)) {
            try ICMPv6Message.parse(hex("03 00 00 00 00 00 00 00 60 00 00 00 00 00 06 40"))
        }
    }
}
