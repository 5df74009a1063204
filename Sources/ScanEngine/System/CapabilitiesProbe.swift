import Glibc

/// Whether this process may send and capture raw packets. The honest test is to try: CAP_NET_RAW
/// can come from root, from file capabilities (`setcap cap_net_raw+ep`), or be taken away by a
/// container's seccomp profile, and only the kernel's answer to socket() covers all of them.
enum CapabilitiesProbe {
    /// CAP_NET_RAW's bit in the capability sets.
    static let netRawBit = 13

    static func canOpenRawSockets(system: any SystemCalls = LiveSystem()) -> Bool {
        let raw = CInt(SOCK_RAW.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        let packet = CInt(SOCK_DGRAM.rawValue) | CInt(SOCK_CLOEXEC.rawValue)
        guard let send = try? system.socket(domain: AF_INET, type: raw, protocol: CInt(IPPROTO_RAW)) else { return false }
        try? system.close(send)
        guard let receive = try? system.socket(domain: AF_PACKET, type: packet, protocol: 0) else { return false }
        RawSocketCloser.closeInBackground(receive, system: system)
        return true
    }

    /// CapEff from /proc/self/status text, for messages ("has CAP_NET_RAW: no").
    static func effectiveCapabilities(status: String) -> UInt64? {
        for line in status.split(separator: "\n") where line.hasPrefix("CapEff:") {
            return UInt64(line.dropFirst("CapEff:".count).filter { !$0.isWhitespace }, radix: 16)
        }
        return nil
    }

    static func hasNetRaw(effective: UInt64) -> Bool { effective & (1 << UInt64(netRawBit)) != 0 }
}
