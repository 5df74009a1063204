/// 500: an IKEv1 (ISAKMP, RFC 2408/2409) Main Mode first message offering one common proposal:
/// 3DES-CBC, SHA-1, pre-shared key, MODP-1024, 8-hour lifetime. An IKE daemon answers with its
/// own SA or with a NO-PROPOSAL-CHOSEN notification; either proves the port open.
extension UDPPayloads {
    public static let ikeMainModeProposal: [UInt8] = {
        // Transform payload: KEY_IKE with basic (TV, high bit set) attributes.
        let attributes: [(type: UInt16, value: UInt16)] = [
            (1, 5),  // encryption: 3DES-CBC
            (2, 2),  // hash: SHA
            (3, 1),  // authentication: pre-shared key
            (4, 2),  // group: MODP-1024 (Oakley group 2)
            (11, 1),  // life type: seconds
            (12, 28_800),  // life duration: 8 hours
        ]
        var transform: [UInt8] = [0, 0, 0, 0, 1, 1, 0, 0]  // next, reserved, length, #1, KEY_IKE, reserved
        for attribute in attributes {
            transform.appendBigEndian(0x8000 | attribute.type)
            transform.appendBigEndian(attribute.value)
        }
        transform.storeBigEndian(UInt16(transform.count), at: 2)

        // Proposal payload: #1, PROTO_ISAKMP, no SPI, one transform.
        var proposal: [UInt8] = [0, 0, 0, 0, 1, 1, 0, 1] + transform
        proposal.storeBigEndian(UInt16(proposal.count), at: 2)

        // SA payload: DOI IPsec (1), situation SIT_IDENTITY_ONLY (1).
        var sa: [UInt8] = [0, 0, 0, 0]
        sa.appendBigEndian(UInt32(1))
        sa.appendBigEndian(UInt32(1))
        sa += proposal
        sa.storeBigEndian(UInt16(sa.count), at: 2)

        // ISAKMP header: initiator cookie, zero responder cookie, next payload SA (1), version 1.0,
        // exchange Identity Protection (2, Main Mode), no flags, message ID 0, total length.
        var message: [UInt8] = Array("portgrid".utf8)  // 8-byte initiator cookie
        message += [UInt8](repeating: 0, count: 8)
        message += [1, 0x10, 2, 0]
        message.appendBigEndian(UInt32(0))
        message.appendBigEndian(UInt32(28 + sa.count))
        message += sa
        return message
    }()
}
