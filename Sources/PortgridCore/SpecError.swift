/// Why a target, port or timing spec was refused. Each case names the token the user typed,
/// so the CLI can print one line that points at the mistake.
public enum SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    case emptyTarget
    case invalidTarget(String, why: String)
    case invalidPrefix(String, why: String)
    case targetTooLarge(String, count: UInt64)
    /// An IPv6 prefix too short to sweep (a /64 has 2^64 addresses): discovery needs names, lists
    /// or a long prefix.
    case ipv6PrefixTooLarge(String, prefix: Int)
    case emptyPortList
    case invalidPort(String, why: String)
    case reversedPortRange(String)
    case unsupportedProtocol(String)
    case invalidTopPorts(String)
    case invalidTiming(String)
    /// A word of the TUI's timing line that is no timing flag, or a flag given without its value.
    case invalidTimingLine(String)
    /// A number outside its flag's range or grammar; `expected` is the sentence that says what fits.
    case invalidNumber(flag: String, value: String, expected: String)
    case invalidShard(String)
    /// Every shard must walk the same permutation, so each needs the same `--seed`.
    case shardWithoutSeed(String)
    /// A flag that cannot go with another one given (`-PP` with `-6`).
    case incompatible(flag: String, why: String)

    public var description: String {
        switch self {
        case .emptyTarget:
            "no target given: name a host, an address, a range or a CIDR block"
        case .invalidTarget(let token, let why):
            "invalid target '\(token)': \(why)"
        case .invalidPrefix(let token, let why):
            "invalid prefix in '\(token)': \(why)"
        case .targetTooLarge(let token, let count):
            "target '\(token)' expands to \(count) addresses; the limit is \(TargetSet.maxAddresses)"
        case .ipv6PrefixTooLarge(let token, let prefix):
            "target '\(token)' is an IPv6 /\(prefix) (2^\(128 - prefix) addresses), too large to sweep: "
                + "name the hosts, or give a prefix of /\(128 - TargetSet.maxAddresses.trailingZeroBitCount) or longer"
        case .emptyPortList:
            "empty port list"
        case .invalidPort(let token, let why):
            "invalid port '\(token)': \(why)"
        case .reversedPortRange(let token):
            "invalid port range '\(token)': the start is greater than the end"
        case .unsupportedProtocol(let token):
            "unsupported protocol qualifier '\(token)': use T: for TCP or U: for UDP"
        case .invalidTopPorts(let token):
            "invalid --top-ports '\(token)': give a number from 1 to 65535"
        case .invalidTiming(let token):
            "invalid -T timing template '\(token)': use -T0 to -T5 (or paranoid, sneaky, polite, normal, aggressive, insane)"
        case .invalidTimingLine(let word):
            "'\(word)' is not a timing flag with its value; e.g. -T4 --max-rate 500 --max-rtt-timeout 200ms"
        case .invalidNumber(let flag, let value, let expected):
            "invalid \(flag) '\(value)': \(expected)"
        case .invalidShard(let token):
            "invalid shard '\(token)': use I/N with 1 <= I <= N"
        case .shardWithoutSeed(let token):
            "--shard \(token) needs --seed S: every shard of a scan must share one seed"
        case .incompatible(let flag, let why):
            "\(flag): \(why)"
        }
    }
}
