import Testing
@testable import Packets

@Suite struct UDPPayloadsTests {
    @Test func lookupTableIsConsistent() {
        #expect(UDPPayloads.knownPorts == UDPPayloads.knownPorts.sorted())
        var withPayload = [UInt16]()
        for port in UInt16.min...UInt16.max where !UDPPayloads.payload(forPort: port).isEmpty {
            withPayload.append(port)
        }
        #expect(withPayload == UDPPayloads.knownPorts)
        #expect(UDPPayloads.payload(forPort: 9).isEmpty)
        #expect(UDPPayloads.payloads(forPort: 161) == [UDPPayloads.snmpV1GetSysDescr, UDPPayloads.snmpV2cGetSysDescr])
        #expect(UDPPayloads.payloads(forPort: 53).count == 2)
    }

    @Test func dnsVersionBind() throws {
        let dns = try #require(DNSQuestionMessage(UDPPayloads.payload(forPort: 53)))
        #expect(dns.flags == 0)  // QR 0 (query), opcode 0 (standard), RD 0
        #expect(dns.qdCount == 1 && dns.anCount == 0 && dns.nsCount == 0 && dns.arCount == 0)
        #expect(dns.labels == ["version", "bind"])
        #expect(dns.type == 16 && dns.qclass == 3)  // TXT, CHAOS
    }

    @Test func dnsRootNS() throws {
        let dns = try #require(DNSQuestionMessage(UDPPayloads.dnsRootNS))
        #expect(dns.qdCount == 1 && dns.labels.isEmpty && dns.type == 2 && dns.qclass == 1)
        #expect(UDPPayloads.dnsRootNS.count == 17)
    }

    @Test func mdnsServicesQuery() throws {
        let dns = try #require(DNSQuestionMessage(UDPPayloads.payload(forPort: 5353)))
        #expect(dns.id == 0 && dns.flags == 0 && dns.qdCount == 1)
        #expect(dns.labels == ["_services", "_dns-sd", "_udp", "local"])
        #expect(dns.type == 12 && dns.qclass == 1)  // PTR, IN
    }

    @Test func netbiosNodeStatus() throws {
        let payload = UDPPayloads.payload(forPort: 137)
        #expect(payload.count == 50)
        let message = try #require(DNSQuestionMessage(payload))
        #expect(message.flags == 0 && message.qdCount == 1)
        // "*" followed by 15 NULs, first-level encoded: 'C''K' then 'A''A' × 15.
        #expect(message.labels == ["CK" + String(repeating: "A", count: 30)])
        #expect(message.type == 0x21 && message.qclass == 1)
    }

    @Test func ntpClientRequest() {
        let ntp = UDPPayloads.payload(forPort: 123)
        #expect(ntp.count == 48)
        #expect(ntp[0] == 0x23)
        #expect(ntp[0] >> 6 == 0 && (ntp[0] >> 3) & 0b111 == 4 && ntp[0] & 0b111 == 3)  // LI 0, v4, client
        #expect(ntp[40..<48].contains { $0 != 0 })  // transmit timestamp set
    }

    @Test(arguments: [(UDPPayloads.snmpV1GetSysDescr, UInt8(0)), (UDPPayloads.snmpV2cGetSysDescr, UInt8(1))])
    func snmpGetRequest(payload: [UInt8], version: UInt8) throws {
        let node = try #require(BERNode.decode(payload))
        guard case .constructed(0x30, let message) = node, message.count == 3 else {
            Issue.record("not a 3-element SEQUENCE: \(node)")
            return
        }
        #expect(message[0] == .primitive(tag: 0x02, content: [version]))
        #expect(message[1] == .primitive(tag: 0x04, content: Array("public".utf8)))
        guard case .constructed(0xA0, let pdu) = message[2], pdu.count == 4 else {
            Issue.record("not a GetRequest-PDU: \(message[2])")
            return
        }
        #expect(pdu[0] == .primitive(tag: 0x02, content: [0x50, 0x47]))  // request-id
        #expect(pdu[1] == .primitive(tag: 0x02, content: [0]))  // error-status
        #expect(pdu[2] == .primitive(tag: 0x02, content: [0]))  // error-index
        let varbind = BERNode.constructed(tag: 0x30, children: [
            .primitive(tag: 0x06, content: [0x2B, 6, 1, 2, 1, 1, 1, 0]),  // 1.3.6.1.2.1.1.1.0
            .primitive(tag: 0x05, content: []),
        ])
        #expect(pdu[3] == .constructed(tag: 0x30, children: [varbind]))
    }

    @Test func berEncodings() {
        #expect(BER.integer(0) == [2, 1, 0])
        #expect(BER.integer(127) == [2, 1, 0x7F])
        #expect(BER.integer(128) == [2, 2, 0, 0x80])
        #expect(BER.integer(-1) == [2, 1, 0xFF])
        #expect(BER.integer(-129) == [2, 2, 0xFF, 0x7F])
        #expect(BER.length(127) == [0x7F])
        #expect(BER.length(200) == [0x81, 200])
        #expect(BER.length(300) == [0x82, 1, 44])
    }

    @Test func ssdpSearch() {
        let text = String(decoding: UDPPayloads.payload(forPort: 1900), as: UTF8.self)
        #expect(text.hasPrefix("M-SEARCH * HTTP/1.1\r\n"))
        #expect(text.contains("\r\nHOST: 239.255.255.250:1900\r\n"))
        #expect(text.contains("\r\nMAN: \"ssdp:discover\"\r\n"))
        #expect(text.contains("\r\nST: ssdp:all\r\n"))
        #expect(text.hasSuffix("\r\n\r\n") && !text.dropLast(4).contains("\r\n\r\n"))
    }

    @Test func sipOptions() {
        let text = String(decoding: UDPPayloads.payload(forPort: 5060), as: UTF8.self)
        #expect(text.hasPrefix("OPTIONS sip:"))
        #expect(text.hasSuffix("\r\n\r\n"))
        let lines = text.split(separator: "\r\n").map(String.init)
        #expect(lines.first?.hasSuffix(" SIP/2.0") == true)
        // RFC 3261 §8.1.1: the headers every request must carry.
        for header in ["Via:", "Max-Forwards:", "From:", "To:", "Call-ID:", "CSeq:"] {
            #expect(lines.contains { $0.hasPrefix(header) }, "\(header)")
        }
        #expect(lines.contains("CSeq: 1 OPTIONS"))
        #expect(lines.contains { $0.hasPrefix("Via: SIP/2.0/UDP ") && $0.contains("branch=z9hG4bK") })
        #expect(lines.contains("Content-Length: 0"))
    }

    @Test func rpcNullCalls() {
        // xid, CALL, RPC v2, program, version, NULL, AUTH_NONE cred + verifier.
        #expect(words32(UDPPayloads.payload(forPort: 111)) == [0x5047_0001, 0, 2, 100_000, 2, 0, 0, 0, 0, 0])
        #expect(words32(UDPPayloads.payload(forPort: 2049)) == [0x5047_0002, 0, 2, 100_003, 3, 0, 0, 0, 0, 0])
        #expect(UDPPayloads.portmapperNull.count == 40)
    }

    @Test func ikeProposalLengthsNest() {
        let ike = UDPPayloads.payload(forPort: 500)
        #expect(ike.count == 80)
        #expect(ike[0..<8].contains { $0 != 0 } && ike[8..<16].allSatisfy { $0 == 0 })  // cookies
        #expect(ike[16] == 1 && ike[17] == 0x10 && ike[18] == 2)  // next SA, v1.0, main mode
        #expect(Int(words32(Array(ike[24..<28]))[0]) == ike.count)  // ISAKMP length
        #expect(Int(word16(ike, 28 + 2)) == ike.count - 28)  // SA payload length
        #expect(words32(Array(ike[32..<40])) == [1, 1])  // DOI IPsec, identity only
        #expect(Int(word16(ike, 40 + 2)) == ike.count - 40)  // proposal length
        #expect(ike[44] == 1 && ike[45] == 1 && ike[46] == 0 && ike[47] == 1)  // #1, ISAKMP, no SPI, 1 transform
        #expect(Int(word16(ike, 48 + 2)) == ike.count - 48)  // transform length
        #expect(ike[52] == 1 && ike[53] == 1)  // transform #1, KEY_IKE
        // Six basic attributes: high bit set on every type.
        for attribute in 0..<6 { #expect(ike[56 + 4 * attribute] & 0x80 != 0) }
    }

    @Test func smallBinaryRequests() {
        #expect(UDPPayloads.payload(forPort: 1434) == [0x02])
        #expect(UDPPayloads.payload(forPort: 5351) == [0, 0])

        let stun = UDPPayloads.payload(forPort: 3478)
        #expect(stun.count == 20)
        #expect(word16(stun, 0) == 0x0001 && Int(word16(stun, 2)) == stun.count - 20)
        #expect(words32(Array(stun[4..<8])) == [0x2112_A442])

        let rip = UDPPayloads.payload(forPort: 520)
        #expect(rip.count == 24 && rip[0] == 1 && rip[1] == 2)
        #expect(word16(rip, 4) == 0 && words32(Array(rip[20..<24])) == [16])

        let tftp = UDPPayloads.payload(forPort: 69)
        #expect(word16(tftp, 0) == 1)
        let fields = tftp.dropFirst(2).split(separator: 0, omittingEmptySubsequences: false)
        #expect(fields.count == 3 && fields[2].isEmpty && !fields[0].isEmpty)  // name NUL mode NUL
        #expect(String(decoding: fields[1], as: UTF8.self) == "octet")

        let memcached = UDPPayloads.payload(forPort: 11211)
        #expect(word16(memcached, 2) == 0 && word16(memcached, 4) == 1 && word16(memcached, 6) == 0)
        #expect(String(decoding: memcached[8...], as: UTF8.self) == "stats\r\n")

        let ipmi = UDPPayloads.payload(forPort: 623)
        #expect(ipmi.count == 12 && ipmi[0] == 6 && ipmi[3] == 6)
        #expect(words32(Array(ipmi[4..<8])) == [4542] && ipmi[8] == 0x80 && ipmi[11] == 0)

        let openVPN = UDPPayloads.payload(forPort: 1194)
        #expect(openVPN.count == 14 && openVPN[0] >> 3 == 7 && openVPN[9] == 0)
    }

    @Test func coapGetWellKnownCore() {
        let coap = UDPPayloads.payload(forPort: 5683)
        #expect(coap[0] >> 6 == 1 && (coap[0] >> 4) & 0b11 == 0 && coap[0] & 0x0F == 0)  // v1, CON, no token
        #expect(coap[1] == 0x01)  // 0.01 GET
        // Options: delta/length nibbles, Uri-Path (11) twice.
        var offset = 4
        var number = 0
        var path = [String]()
        while offset < coap.count {
            let delta = Int(coap[offset] >> 4)
            let length = Int(coap[offset] & 0x0F)
            number += delta
            #expect(number == 11)
            path.append(String(decoding: coap[offset + 1..<offset + 1 + length], as: UTF8.self))
            offset += 1 + length
        }
        #expect(offset == coap.count)
        #expect(path == [".well-known", "core"])
    }
}
