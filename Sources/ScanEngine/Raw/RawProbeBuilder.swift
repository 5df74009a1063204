import Packets
import PortgridCore

/// Builds the bytes of one probe (IP header included, for the header-including raw sockets of
/// either family) with the cookie for its destination and try number in it, written straight into
/// a send batch. `--ttl` sets `ttl` (the IPv4 TTL and the IPv6 hop limit), `--badsum` sets
/// `badChecksum`; `-g` is in the cookie (a one-port range).
struct RawProbeBuilder: Sendable {
    let cookie: ProbeCookie
    var ttl: UInt8 = Self.defaultTTL
    var badChecksum = false

    static let defaultTTL: UInt8 = 64

    init(cookie: ProbeCookie, options: PacketOptions = .standard) {
        self.cookie = cookie
        ttl = options.ttl ?? Self.defaultTTL
        badChecksum = options.badChecksum
    }

    /// nmap-like SYN shape: window 1024 and an MSS option, as a real stack's first segment carries.
    static let synMSS: UInt16 = 1460

    /// Appends the probe to `batch`.
    func write(_ kind: ProbeKind, source: UInt32, destination: UInt32, port: UInt16, tryNumber: Int,
               into batch: inout PacketBatch) {
        let marker = cookie.ipIdentification(tryNumber: tryNumber)
        switch kind {
        case .tcp(let flags):
            let value = cookie.sequence(host: destination, port: port, tryNumber: tryNumber)
            let srcPort = cookie.sourcePort(host: destination, port: port, proto: 6, tryNumber: tryNumber)
            let mss = flags == .syn ? Self.synMSS : nil
            batch.append(destination: destination, maximum: ProbeWriter.tcpProbeLength(mss: mss != nil)) { buffer in
                // An ACK probe carries the cookie in both fields: the RST echoes the ack, an ICMP error
                // quotes only the first 8 bytes (ports and sequence number).
                ProbeWriter.tcpProbe(into: buffer, src: source, dst: destination, srcPort: srcPort, dstPort: port,
                                     seq: value, ack: flags.contains(.ack) ? value : 0, flags: flags, window: 1024,
                                     mss: mss, ttl: ttl, ipID: marker, badChecksum: badChecksum)
            }
        case .udp:
            let srcPort = cookie.sourcePort(host: destination, port: port, proto: 17, tryNumber: tryNumber)
            let payload = UDPPayloads.payload(forPort: port)
            batch.append(destination: destination, maximum: ProbeWriter.udpProbeLength(payloadCount: payload.count)) { buffer in
                payload.withUnsafeBytes { payload in
                    ProbeWriter.udpProbe(into: buffer, src: source, dst: destination, srcPort: srcPort, dstPort: port,
                                         payload: payload, ttl: ttl, ipID: marker, badChecksum: badChecksum)
                }
            }
        case .icmpEcho:
            let sequence = cookie.echoSequence(host: destination, tryNumber: tryNumber)
            batch.append(destination: destination, maximum: ProbeWriter.icmpEchoLength) { buffer in
                ProbeWriter.icmpEcho(into: buffer, src: source, dst: destination, identifier: cookie.echoIdentifier,
                                     sequence: sequence, ttl: ttl, ipID: marker, badChecksum: badChecksum)
            }
        case .icmpTimestamp:
            let sequence = cookie.echoSequence(host: destination, tryNumber: tryNumber)
            batch.append(destination: destination, maximum: ProbeWriter.icmpTimestampLength) { buffer in
                ProbeWriter.icmpTimestamp(into: buffer, src: source, dst: destination, identifier: cookie.echoIdentifier,
                                          sequence: sequence, ttl: ttl, ipID: marker, badChecksum: badChecksum)
            }
        }
    }

    /// The IPv6 probe: the same cookie fields as over IPv4 (keyed by `ProbeCookie.hostKey`), the
    /// flow label where IPv4 has the IP ID marker, the hop limit where it has the TTL.
    func writeIPv6(_ kind: ProbeKind, source: UInt128, destination: UInt128, port: UInt16, tryNumber: Int,
               into batch: inout PacketBatch) {
        let key = ProbeCookie.hostKey(destination)
        let marker = cookie.flowLabel(tryNumber: tryNumber)
        switch kind {
        case .tcp(let flags):
            let value = cookie.sequence(host: key, port: port, tryNumber: tryNumber)
            let srcPort = cookie.sourcePort(host: key, port: port, proto: 6, tryNumber: tryNumber)
            let mss = flags == .syn ? Self.synMSS : nil
            batch.append(ipv6Maximum: ProbeWriter.tcpProbe6Length(mss: mss != nil)) { buffer in
                ProbeWriter.tcpProbe6(into: buffer, src: source, dst: destination, srcPort: srcPort, dstPort: port,
                                      seq: value, ack: flags.contains(.ack) ? value : 0, flags: flags, window: 1024,
                                      mss: mss, hopLimit: ttl, flowLabel: marker, badChecksum: badChecksum)
            }
        case .udp:
            let srcPort = cookie.sourcePort(host: key, port: port, proto: 17, tryNumber: tryNumber)
            let payload = UDPPayloads.payload(forPort: port)
            batch.append(ipv6Maximum: ProbeWriter.udpProbe6Length(payloadCount: payload.count)) { buffer in
                payload.withUnsafeBytes { payload in
                    ProbeWriter.udpProbe6(into: buffer, src: source, dst: destination, srcPort: srcPort, dstPort: port,
                                          payload: payload, hopLimit: ttl, flowLabel: marker, badChecksum: badChecksum)
                }
            }
        case .icmpTimestamp:
            // ICMPv6 has no timestamp message; the request refuses -PP with IPv6 targets before this.
            return
        case .icmpEcho:
            let sequence = cookie.echoSequence(host: key, tryNumber: tryNumber)
            batch.append(ipv6Maximum: ProbeWriter.icmpv6EchoLength) { buffer in
                ProbeWriter.icmpv6Echo(into: buffer, src: source, dst: destination, identifier: cookie.echoIdentifier,
                                       sequence: sequence, hopLimit: ttl, flowLabel: marker,
                                       badChecksum: badChecksum)
            }
        }
    }

    /// One probe on its own (tests, and callers that send a single packet).
    func packet(_ kind: ProbeKind, source: UInt32, destination: UInt32, port: UInt16, tryNumber: Int) -> [UInt8] {
        var batch = PacketBatch(capacity: 1)
        write(kind, source: source, destination: destination, port: port, tryNumber: tryNumber, into: &batch)
        return batch.packet(0)
    }

    func packetIPv6(_ kind: ProbeKind, source: UInt128, destination: UInt128, port: UInt16, tryNumber: Int) -> [UInt8] {
        var batch = PacketBatch(capacity: 1)
        writeIPv6(kind, source: source, destination: destination, port: port, tryNumber: tryNumber, into: &batch)
        return batch.packet(0)
    }
}
