/// The block of local ports raw probes are sent from. It lies outside the kernel's ephemeral range
/// (`net.ipv4.ip_local_port_range`), so a reply to a probe never lands on one of this machine's own
/// connections, and the receive filter can pass exactly this block.
struct SourcePortRange: Hashable, Sendable, CustomStringConvertible {
    let lowerBound: UInt16
    let count: Int

    init(lowerBound: UInt16, count: Int) {
        precondition(count >= 1 && Int(lowerBound) + count - 1 <= 65535, "source port range out of bounds")
        self.lowerBound = lowerBound
        self.count = count
    }

    var upperBound: UInt16 { lowerBound + UInt16(count - 1) }

    func contains(_ port: UInt16) -> Bool { port >= lowerBound && Int(port) - Int(lowerBound) < count }

    /// At least this many ports, so the hash spreads probes and a try number fits beside it.
    static let minimumCount = 256

    /// The largest block above the ephemeral range, else the block just below it (never under
    /// 1024, where services listen); Linux's default 32768-60999 gives 61000-65535.
    static func avoiding(ephemeral: ClosedRange<UInt16>) -> SourcePortRange {
        let above = 65535 - Int(ephemeral.upperBound)
        if above >= minimumCount {
            return SourcePortRange(lowerBound: ephemeral.upperBound + 1, count: above)
        }
        let belowStart = max(1024, Int(ephemeral.lowerBound) - 4096)
        let below = Int(ephemeral.lowerBound) - belowStart
        if below >= minimumCount {
            return SourcePortRange(lowerBound: UInt16(belowStart), count: below)
        }
        // The ephemeral range covers nearly everything: share its top, the cookie still tells
        // our replies from anyone else's.
        return SourcePortRange(lowerBound: 65535 - 4095, count: 4096)
    }

    /// The ports a scan's raw probes leave from: `-g`'s one port (`ProbeCookie` then carries the
    /// try elsewhere), else the block beside this kernel's ephemeral range.
    static func forProbes(fixed: UInt16?) -> SourcePortRange {
        if let fixed { return SourcePortRange(lowerBound: fixed, count: 1) }
        return avoiding(ephemeral: RawKernelSettings.ephemeralPorts)
    }

    /// Parses `ip_local_port_range` ("32768\t60999").
    static func parseEphemeral(_ text: String) -> ClosedRange<UInt16>? {
        let numbers = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { UInt16($0) }
        guard numbers.count == 2, numbers[0] <= numbers[1] else { return nil }
        return numbers[0]...numbers[1]
    }

    var description: String { "\(lowerBound)-\(upperBound)" }
}
