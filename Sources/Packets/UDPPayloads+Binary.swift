/// Small fixed binary requests, one per service, each the shortest message its protocol
/// defines that still draws a reply.
extension UDPPayloads {
    /// 123: NTPv4 client request (RFC 5905): LI 0, version 4, mode 3 → first byte 0x23; 48 bytes.
    /// The transmit timestamp is set (servers copy it into the reply's origin timestamp, and some
    /// drop requests where it is zero); it is a fixed value so every scan sends the same bytes.
    public static let ntpClientRequest: [UInt8] = {
        var bytes = [UInt8](repeating: 0, count: 48)
        bytes[0] = 0x23
        bytes[2] = 6  // poll interval 2^6 s
        bytes[3] = 0xEC  // precision 2^-20 s
        let transmit: [UInt8] = [0xE9, 0x5B, 0x8C, 0x00, 0x50, 0x47, 0x00, 0x01]
        bytes.replaceSubrange(40..<48, with: transmit)
        return bytes
    }()

    /// 69: TFTP read request (RFC 1350) for a file that should not exist, in octet mode. The
    /// server answers with data or, far more likely, an ERROR packet; both prove it is there.
    public static let tftpReadRequest: [UInt8] =
        [0, 1] + Array("portgrid-probe".utf8) + [0] + Array("octet".utf8) + [0]

    /// 520: RIPv2 request for the whole routing table (RFC 2453 §3.9.1): one entry with address
    /// family 0 and metric 16 (infinity).
    public static let ripRequest: [UInt8] = {
        var bytes: [UInt8] = [1, 2, 0, 0]  // command request, version 2, must-be-zero
        bytes += [UInt8](repeating: 0, count: 16)  // AFI, route tag, address, mask, next hop
        bytes.appendBigEndian(UInt32(16))  // metric: infinity
        return bytes
    }()

    /// 623: RMCP/ASF presence ping (DMTF DSP0136), which IPMI BMCs answer with a presence pong.
    public static let ipmiPresencePing: [UInt8] = [
        0x06, 0x00, 0xFF, 0x06,  // RMCP v1.0, reserved, sequence 255 (no ack), class ASF
        0x00, 0x00, 0x11, 0xBE,  // ASF IANA enterprise number 4542
        0x80, 0x00, 0x00, 0x00,  // presence ping, tag, reserved, data length 0
    ]

    /// 1194: OpenVPN P_CONTROL_HARD_RESET_CLIENT_V2 (opcode 7, key 0) with a fixed session ID, no
    /// acks, packet ID 0. Servers without tls-auth/tls-crypt answer with a server reset.
    public static let openVPNHardReset: [UInt8] =
        [0x38] + Array("portgrid".utf8) + [0x00] + [0, 0, 0, 0]

    /// 1434: MS-SQL Server Resolution Protocol CLNT_UCAST_EX (0x02): asks the SQL Browser
    /// service to list every instance on the host.
    public static let mssqlPing: [UInt8] = [0x02]

    /// 3478: STUN Binding Request (RFC 8489): type 0x0001, no attributes, magic cookie, fixed
    /// 96-bit transaction ID.
    public static let stunBindingRequest: [UInt8] = {
        var bytes = [UInt8]()
        bytes.appendBigEndian(UInt16(0x0001))
        bytes.appendBigEndian(UInt16(0))  // attribute length
        bytes.appendBigEndian(UInt32(0x2112_A442))  // magic cookie
        bytes += Array("portgrid-stu".utf8)  // 12-byte transaction ID
        return bytes
    }()

    /// 5351: NAT-PMP external address request (RFC 6886): version 0, opcode 0.
    public static let natPMPExternalAddress: [UInt8] = [0, 0]

    /// 5683: CoAP confirmable GET /.well-known/core (RFC 7252, RFC 6690 resource discovery).
    public static let coapWellKnownCore: [UInt8] = {
        var bytes: [UInt8] = [0x40, 0x01]  // version 1, CON, no token; code 0.01 GET
        bytes.appendBigEndian(requestID)  // message ID
        bytes.append(0xBB)  // option delta 11 (Uri-Path), length 11
        bytes += Array(".well-known".utf8)
        bytes.append(0x04)  // option delta 0 (Uri-Path again), length 4
        bytes += Array("core".utf8)
        return bytes
    }()

    /// 11211: memcached "stats" over UDP: the 8-byte UDP frame header (request ID, sequence 0,
    /// one datagram, reserved) then the text command.
    public static let memcachedStats: [UInt8] = {
        var bytes = [UInt8]()
        bytes.appendBigEndian(requestID)
        bytes.appendBigEndian(UInt16(0))  // sequence number
        bytes.appendBigEndian(UInt16(1))  // total datagrams
        bytes.appendBigEndian(UInt16(0))  // reserved
        bytes += Array("stats\r\n".utf8)
        return bytes
    }()
}
