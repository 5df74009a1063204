/// One thing a user named on the command line. Each term knows how many addresses it stands for
/// and can produce the n-th one, so a /16 is never expanded into a list.
public enum TargetTerm: Hashable, Sendable, CustomStringConvertible {
    /// nmap octet syntax: `198.18.0.1`, `198.18.0.1-20`, `198.18.0-1.1-254`, `198.18.0.1,5,9`.
    case ipv4Octets(OctetSet, OctetSet, OctetSet, OctetSet, text: String)
    case ipv4Block(IPv4Address, prefix: Int)
    case ipv6Block(IPv6Address, prefix: Int)
    /// Resolved by the engine, not here: the model does no I/O.
    case hostname(String, prefix: Int?)

    public var description: String {
        switch self {
        case .ipv4Octets(_, _, _, _, let text): text
        case .ipv4Block(let base, let prefix): prefix == 32 ? base.description : "\(base)/\(prefix)"
        case .ipv6Block(let base, let prefix): prefix == 128 ? base.description : "\(base)/\(prefix)"
        case .hostname(let name, let prefix): prefix.map { "\(name)/\($0)" } ?? name
        }
    }

    /// The term names IPv4 addresses whatever resolution finds (`-6` refuses these): a literal, a
    /// block, or a name with a `/prefix` (the block is taken around its IPv4 address).
    public var isIPv4: Bool {
        switch self {
        case .ipv4Octets, .ipv4Block: true
        case .ipv6Block: false
        case .hostname(_, let prefix): prefix != nil
        }
    }

    /// How many addresses the term stands for. A host name is one address, or with a `/prefix`
    /// the IPv4 block around the address it resolves to: its size is known before the lookup, so
    /// the target-size limit counts what resolution will expand the name to.
    public var count: UInt64 {
        switch self {
        case .ipv4Octets(let a, let b, let c, let d, _):
            UInt64(a.count) * UInt64(b.count) * UInt64(c.count) * UInt64(d.count)
        case .ipv4Block(_, let prefix): UInt64(1) << UInt64(32 - prefix)
        case .ipv6Block(_, let prefix): UInt64(1) << UInt64(128 - prefix)
        case .hostname(_, let prefix): prefix.map { UInt64(1) << UInt64(32 - $0) } ?? 1
        }
    }

    /// The n-th address of the term, in ascending order; nil for a host name.
    public func address(at n: UInt64) -> IPAddress? {
        switch self {
        case .ipv4Octets(let a, let b, let c, let d, _):
            var rest = Int(n)
            let o4 = d.element(at: rest % d.count); rest /= d.count
            let o3 = c.element(at: rest % c.count); rest /= c.count
            let o2 = b.element(at: rest % b.count); rest /= b.count
            let o1 = a.element(at: rest)
            return .v4(IPv4Address(o1, o2, o3, o4))
        case .ipv4Block(let base, let prefix):
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
            return .v4(IPv4Address((base.value & mask) | UInt32(truncatingIfNeeded: n)))
        case .ipv6Block(let base, let prefix):
            let mask: UInt128 = prefix == 0 ? 0 : ~UInt128(0) << UInt128(128 - prefix)
            return .v6(IPv6Address((base.value & mask) | UInt128(n)))
        case .hostname:
            return nil
        }
    }

    public func contains(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.ipv4Octets(let a, let b, let c, let d, _), .v4(let v4)):
            let o = v4.octets
            return a.contains(o.0) && b.contains(o.1) && c.contains(o.2) && d.contains(o.3)
        case (.ipv4Block(let base, let prefix), .v4(let v4)):
            let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
            return base.value & mask == v4.value & mask
        case (.ipv6Block(let base, let prefix), .v6(let v6)):
            let mask: UInt128 = prefix == 0 ? 0 : ~UInt128(0) << UInt128(128 - prefix)
            return base.value & mask == v6.value & mask
        default:
            return false
        }
    }
}
