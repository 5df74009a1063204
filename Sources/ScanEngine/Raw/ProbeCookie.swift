import PortgridCore

/// A probe's identity, carried in the packet itself so a reply is matched without a per-probe
/// table (zmap's idea): the source port and the TCP sequence number are a keyed hash of the
/// destination address and port, and the try number rides along in both, so a late answer says
/// which try it answers. Replies prove themselves by echoing the values (ack-1, quoted header).
///
/// With `-g` the source-port range is a single port, which says nothing of the try: the try then
/// rides in the low four bits of the IP ID (IPv4) or flow label (IPv6) marker, which an ICMP
/// error quotes, while TCP replies still prove themselves (and their try) by the sequence number.
/// A UDP answer echoes neither: it is matched by target address and port, as nmap matches it, and
/// its try is `TryNumbers.unknown`.
struct ProbeCookie: Sendable {
    /// Try numbers 0..<maxTries fit the 4 low bits of the sequence number (`TryNumbers` says who
    /// uses which).
    static let maxTries = TryNumbers.count
    private static let tryMask = UInt32(maxTries - 1)

    let key: UInt64
    let ports: SourcePortRange

    init(seed: UInt64, ports: SourcePortRange) {
        var state = seed ^ 0x7072_6F62_6563_6F6B  // separate stream from the scan order's keys
        key = SplitMix64.next(&state)
        self.ports = ports
    }

    private func hash(_ host: UInt32, _ port: UInt16, _ proto: UInt8) -> UInt64 {
        SplitMix64.mix(key ^ (UInt64(proto) << 48 | UInt64(host) << 16 | UInt64(port)))
    }

    private func portBase(_ host: UInt32, _ port: UInt16, _ proto: UInt8) -> Int {
        Int((hash(host, port, proto) >> 40) % UInt64(ports.count))
    }

    /// The source port of try `tryNumber` of the probe to `host`:`port`.
    func sourcePort(host: UInt32, port: UInt16, proto: UInt8, tryNumber: Int) -> UInt16 {
        let offset = (portBase(host, port, proto) + tryNumber) % ports.count
        return ports.lowerBound + UInt16(offset)
    }

    /// `-g`: every probe leaves from the one port of the range.
    var isFixedPort: Bool { ports.count == 1 }

    /// Which try a reply addressed to `sourcePort` answers, nil when no probe of ours used it;
    /// `TryNumbers.unknown` with a fixed source port (the port then says only "ours").
    func tryNumber(host: UInt32, port: UInt16, proto: UInt8, sourcePort: UInt16) -> Int? {
        guard ports.contains(sourcePort) else { return nil }
        if isFixedPort { return TryNumbers.unknown }
        let offset = Int(sourcePort - ports.lowerBound)
        let tryNumber = (offset - portBase(host, port, proto) + ports.count) % ports.count
        return tryNumber < Self.maxTries ? tryNumber : nil
    }

    /// The 32-bit value a TCP probe carries (as its sequence number, or its ack for an ACK probe).
    func sequence(host: UInt32, port: UInt16, tryNumber: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: hash(host, port, 6)) & ~Self.tryMask | UInt32(tryNumber) & Self.tryMask
    }

    /// The try a 32-bit echo of `sequence` stands for, nil when the high bits do not match.
    func tryNumber(host: UInt32, port: UInt16, sequence: UInt32) -> Int? {
        let expected = UInt32(truncatingIfNeeded: hash(host, port, 6)) & ~Self.tryMask
        return sequence & ~Self.tryMask == expected ? Int(sequence & Self.tryMask) : nil
    }

    /// ICMP echo: one identifier per scan, the sequence a per-host hash with the try number.
    var echoIdentifier: UInt16 { UInt16(truncatingIfNeeded: key >> 48) }

    func echoSequence(host: UInt32, tryNumber: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: hash(host, 0, 1)) & ~UInt16(Self.tryMask) | UInt16(tryNumber) & UInt16(Self.tryMask)
    }

    func tryNumber(host: UInt32, echoSequence: UInt16) -> Int? {
        let mask = UInt16(Self.tryMask)
        let expected = UInt16(truncatingIfNeeded: hash(host, 0, 1)) & ~mask
        return echoSequence & ~mask == expected ? Int(echoSequence & mask) : nil
    }

    /// IP ID our probes carry: on loopback our own probes come back in as received packets, and
    /// this (with the cookie) tells them from real replies.
    var ipIdentification: UInt16 { UInt16(truncatingIfNeeded: key >> 32) | 1 }

    /// The IP ID try `tryNumber` carries: the marker, with the try in its low bits when the source
    /// port is fixed (never zero: the kernel would write its own ID over a zero).
    func ipIdentification(tryNumber: Int) -> UInt16 {
        guard isFixedPort else { return ipIdentification }
        return ipIdentification & ~Self.markerTryMask16 | 0x10 | UInt16(tryNumber) & Self.markerTryMask16
    }

    /// Whether `identification` is one our probes carry.
    func isMarker(ipIdentification identification: UInt16) -> Bool {
        isFixedPort ? identification & ~Self.markerTryMask16 == ipIdentification(tryNumber: 0)
            : identification == ipIdentification
    }

    /// The try a quoted IP ID stands for (fixed source port only; else the port says it).
    func tryNumber(ipIdentification identification: UInt16) -> Int? {
        isFixedPort && isMarker(ipIdentification: identification) ? Int(identification & Self.markerTryMask16) : nil
    }

    private static let markerTryMask16 = UInt16(tryMask)

    /// IPv6 has no IP ID: our IPv6 probes carry this flow label instead, for the same two uses
    /// (telling our own looped-back probes from replies, and an ICMPv6 error's quote from others').
    var flowLabel: UInt32 { UInt32(truncatingIfNeeded: key >> 12) & 0xF_FFFF | 1 }

    /// The flow label try `tryNumber` carries (as `ipIdentification(tryNumber:)`).
    func flowLabel(tryNumber: Int) -> UInt32 {
        guard isFixedPort else { return flowLabel }
        return flowLabel & ~Self.tryMask | 0x10 | UInt32(tryNumber) & Self.tryMask
    }

    func isMarker(flowLabel label: UInt32) -> Bool {
        isFixedPort ? label & ~Self.tryMask == flowLabel(tryNumber: 0) : label == flowLabel
    }

    func tryNumber(flowLabel label: UInt32) -> Int? {
        isFixedPort && isMarker(flowLabel: label) ? Int(label & Self.tryMask) : nil
    }

    /// The 32 bits an IPv6 address stands for in the cookie's hash (the hash takes a 32-bit host):
    /// a mix of all 128 bits, so hosts of one /64 differ as much as IPv4 hosts do. Replies are
    /// still matched to a host by the full address; this only keys the cookie.
    static func hostKey(_ address: UInt128) -> UInt32 {
        let mixed = SplitMix64.mix(UInt64(truncatingIfNeeded: address >> 64) ^ SplitMix64.mix(UInt64(truncatingIfNeeded: address)))
        return UInt32(truncatingIfNeeded: mixed ^ mixed >> 32)
    }
}
