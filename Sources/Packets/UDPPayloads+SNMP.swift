/// SNMP GetRequests for sysDescr.0 with community "public" (RFC 1157 v1, RFC 1901/3416 v2c),
/// encoded in BER. Agents ignore requests with an unknown community, so "public" — still the
/// default on a great many devices — is what makes an answer likely.
extension UDPPayloads {
    /// 161: SNMPv1 get-request, sysDescr.0 (1.3.6.1.2.1.1.1.0), community "public".
    public static let snmpV1GetSysDescr: [UInt8] = snmpGet(version: 0)

    /// 161: SNMPv2c get-request, same variable and community.
    public static let snmpV2cGetSysDescr: [UInt8] = snmpGet(version: 1)

    /// The community string both SNMP payloads carry.
    public static let snmpCommunity = "public"

    /// sysDescr.0 as BER OID content: 1.3 packs into 0x2B, the rest are single-byte arcs.
    static let sysDescrOID: [UInt8] = [0x2B, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00]

    static func snmpGet(version: Int) -> [UInt8] {
        let varbind = BER.sequence(BER.tlv(0x06, sysDescrOID) + BER.tlv(0x05, []))  // OID, NULL value
        let pdu = BER.tlv(
            0xA0,  // context-specific constructed 0: GetRequest-PDU
            BER.integer(Int(requestID)) + BER.integer(0) + BER.integer(0) + BER.sequence(varbind))
        return BER.sequence(BER.integer(version) + BER.tlv(0x04, Array(snmpCommunity.utf8)) + pdu)
    }
}

/// The few BER (X.690) encodings SNMP needs: definite lengths, minimal two's-complement integers.
enum BER {
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        [tag] + length(content.count) + content
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] { tlv(0x30, content) }

    /// Short form below 128, otherwise 0x80 | byte count followed by the big-endian length.
    static func length(_ count: Int) -> [UInt8] {
        if count < 0x80 { return [UInt8(count)] }
        var bytes = [UInt8]()
        var remaining = count
        while remaining > 0 {
            bytes.insert(UInt8(truncatingIfNeeded: remaining), at: 0)
            remaining >>= 8
        }
        return [0x80 | UInt8(truncatingIfNeeded: bytes.count)] + bytes
    }

    /// Minimal two's-complement content: drop leading bytes that only repeat the sign.
    static func integer(_ value: Int) -> [UInt8] {
        var bytes = (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
        while bytes.count > 1,
            (bytes[0] == 0x00 && bytes[1] & 0x80 == 0) || (bytes[0] == 0xFF && bytes[1] & 0x80 != 0)
        {
            bytes.removeFirst()
        }
        return tlv(0x02, bytes)
    }
}
