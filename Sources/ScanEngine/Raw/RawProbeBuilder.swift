import Packets

/// Builds the bytes of one probe (IPv4 header included, for the IP_HDRINCL socket) with the
/// cookie for its destination and try number in it.
struct RawProbeBuilder: Sendable {
    let cookie: ProbeCookie
    var ttl: UInt8 = 64

    /// nmap-like SYN shape: window 1024 and an MSS option, as a real stack's first segment carries.
    static let synMSS: UInt16 = 1460

    func packet(_ kind: ProbeKind, source: UInt32, destination: UInt32, port: UInt16, tryNumber: Int) -> [UInt8] {
        let marker = cookie.ipIdentification
        switch kind {
        case .tcp(let flags):
            let value = cookie.sequence(host: destination, port: port, tryNumber: tryNumber)
            let srcPort = cookie.sourcePort(host: destination, port: port, proto: 6, tryNumber: tryNumber)
            // An ACK probe carries the cookie in both fields: the RST echoes the ack, an ICMP error
            // quotes only the first 8 bytes (ports and sequence number).
            return PacketBuilder.tcpProbe(
                src: source, dst: destination, srcPort: srcPort, dstPort: port, seq: value,
                ack: flags.contains(.ack) ? value : 0, flags: flags, window: 1024,
                mss: flags == .syn ? Self.synMSS : nil, ttl: ttl, ipID: marker)
        case .udp:
            let srcPort = cookie.sourcePort(host: destination, port: port, proto: 17, tryNumber: tryNumber)
            return PacketBuilder.udpProbe(
                src: source, dst: destination, srcPort: srcPort, dstPort: port,
                payload: UDPPayloads.payload(forPort: port), ttl: ttl, ipID: marker)
        case .icmpEcho:
            return PacketBuilder.icmpEcho(
                src: source, dst: destination, identifier: cookie.echoIdentifier,
                sequence: cookie.echoSequence(host: destination, tryNumber: tryNumber), ttl: ttl, ipID: marker)
        }
    }
}
