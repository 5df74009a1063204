import Glibc

/// What the kernel queued on a socket's error queue (IP_RECVERR) when an ICMP error came back for it:
/// `struct sock_extended_err` plus the address of the router or host that sent the ICMP message.
struct ICMPReport: Hashable, Sendable {
    enum Family: Hashable, Sendable { case icmp, icmp6 }

    var family: Family
    var type: UInt8
    var code: UInt8
    /// The errno the kernel mapped the message to.
    var errno: Errno
    /// Who sent the ICMP message (SO_EE_OFFENDER), when given.
    var offender: SocketAddress?

    // linux/errqueue.h, which Glibc's module does not export.
    static let originICMP: UInt8 = 2
    static let originICMP6: UInt8 = 3
    /// sizeof(struct sock_extended_err)
    static let extendedErrorSize = 16

    /// Size of `struct cmsghdr` rounded up as CMSG_ALIGN does: where a message's data starts.
    static let headerSize = align(MemoryLayout<cmsghdr>.size)

    static func align(_ length: Int) -> Int {
        let word = MemoryLayout<Int>.size
        return (length + word - 1) & ~(word - 1)
    }

    /// Walks the control messages recvmsg(MSG_ERRQUEUE) returned and decodes the first extended
    /// error of ICMP origin. Pure, so it is tested on hand-built bytes. Local errors (origin
    /// LOCAL, e.g. EMSGSIZE) are not reports from the network and give nil.
    static func parse(controlMessages raw: UnsafeRawBufferPointer) -> ICMPReport? {
        var offset = 0
        while offset + headerSize <= raw.count {
            let length = Int(raw.loadUnaligned(fromByteOffset: offset, as: Int.self))
            let level = raw.loadUnaligned(fromByteOffset: offset + MemoryLayout<Int>.size, as: CInt.self)
            let kind = raw.loadUnaligned(fromByteOffset: offset + MemoryLayout<Int>.size + 4, as: CInt.self)
            guard length >= headerSize, offset + length <= raw.count else { return nil }
            let isError = (level == SOL_IP && kind == IP_RECVERR) || (level == SOL_IPV6 && kind == IPV6_RECVERR)
            if isError, length - headerSize >= extendedErrorSize {
                let data = UnsafeRawBufferPointer(rebasing: raw[(offset + headerSize)..<(offset + length)])
                if let report = decode(extendedError: data) { return report }
            }
            offset += align(length)
        }
        return nil
    }

    /// `struct sock_extended_err { u32 ee_errno; u8 ee_origin, ee_type, ee_code, ee_pad; u32 ee_info, ee_data; }`
    /// followed by the offender's sockaddr.
    private static func decode(extendedError data: UnsafeRawBufferPointer) -> ICMPReport? {
        let origin = data[4]
        let family: Family
        switch origin {
        case originICMP: family = .icmp
        case originICMP6: family = .icmp6
        default: return nil
        }
        let errno = Errno(rawValue: CInt(bitPattern: data.loadUnaligned(as: UInt32.self)))
        let offender = SocketAddress(UnsafeRawBufferPointer(rebasing: data[extendedErrorSize...]))
        return ICMPReport(family: family, type: data[5], code: data[6], errno: errno, offender: offender)
    }
}
