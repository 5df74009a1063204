/// ONC RPC NULL calls (RFC 5531). Procedure 0 of every RPC program takes no arguments and
/// returns nothing, so any RPC server answers it — a harmless "ping" for the program.
extension UDPPayloads {
    /// 111: portmapper (program 100000) version 2, NULL procedure.
    public static let portmapperNull: [UInt8] = rpcNullCall(xid: 0x5047_0001, program: 100_000, version: 2)

    /// 2049: NFS (program 100003) version 3, NULL procedure.
    public static let nfsNull: [UInt8] = rpcNullCall(xid: 0x5047_0002, program: 100_003, version: 3)

    /// A 40-byte CALL message with AUTH_NONE credentials and verifier, all fields XDR (big-endian
    /// 32-bit words).
    static func rpcNullCall(xid: UInt32, program: UInt32, version: UInt32) -> [UInt8] {
        let words: [UInt32] = [
            xid,
            0,  // msg_type CALL
            2,  // RPC version
            program,
            version,
            0,  // procedure NULL
            0, 0,  // credentials: AUTH_NONE, zero length
            0, 0,  // verifier: AUTH_NONE, zero length
        ]
        var bytes = [UInt8]()
        for word in words { bytes.appendBigEndian(word) }
        return bytes
    }
}
