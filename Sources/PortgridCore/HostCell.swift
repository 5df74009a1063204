import FoundationEssentials

/// What the store knows of one host beside its names: status, reason, reply TTL and round trip in
/// one packed word (`CompactCodes`, as a `PortCell`), and when its last port result arrived; sixteen
/// bytes a host, so a /16 sweep's hosts cost one megabyte. Names and link addresses are few and
/// kept apart, by host number.
struct HostCell: Sendable {
    /// Code 0: no record of its own (only port results or a name named the host).
    private var bits: UInt64
    /// Seconds since the reference date of the host's last port result; NaN when none.
    private var lastResult: Double

    static let none = HostCell(bits: 0, lastResult: .nan)

    private init(bits: UInt64, lastResult: Double) {
        self.bits = bits
        self.lastResult = lastResult
    }

    var hasRecord: Bool { bits & CompactCodes.codeMask != 0 }
    var status: HostStatus? { hasRecord ? CompactCodes.statuses[Int(bits & CompactCodes.codeMask) - 1] : nil }

    /// Takes `host`'s status, reason, round trip and TTL (its names are the caller's to keep).
    mutating func record(_ host: HostResult) {
        bits = CompactCodes.pack(code: UInt64(CompactCodes.statusIndex(host.status) + 1), reason: host.reason,
                                 rtt: host.rtt, replyTTL: host.replyTTL)
    }

    /// The host's round trip in whole nanoseconds, nil when none or no record.
    var rttNanoseconds: Int64? { hasRecord ? CompactCodes.nanoseconds(bits) : nil }

    var lastResultTime: Date? { lastResult.isNaN ? nil : Date(timeIntervalSinceReferenceDate: lastResult) }

    mutating func stampResult(_ time: Date) { lastResult = time.timeIntervalSinceReferenceDate }

    func result(address: IPAddress, names: HostNames?) -> HostResult? {
        guard let status else { return nil }
        return HostResult(address: address, hostname: names?.hostname, status: status,
                          reason: CompactCodes.reason(bits), rtt: CompactCodes.nanoseconds(bits).map { .nanoseconds($0) },
                          replyTTL: CompactCodes.replyTTL(bits), reverseName: names?.reverseName, mac: names?.mac)
    }
}

/// A host's names and link address, kept only for hosts that have one.
struct HostNames: Hashable, Sendable {
    var hostname: String?
    var reverseName: String?
    var mac: String?

    init(_ host: HostResult) {
        hostname = host.hostname
        reverseName = host.reverseName
        mac = host.mac
    }

    var isEmpty: Bool { hostname == nil && reverseName == nil && mac == nil }
}
