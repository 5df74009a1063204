/// One port's answer as `ResultStore` keeps it, and as a `PortResult` carries it: eight bytes,
/// where a `PortResult` also carries its host, port and technique and takes 32 (and a dictionary
/// entry keyed by `ResultKey` took as much again). A -p- scan is 65,535 of these per host, so the
/// difference is most of the store.
///
/// Packed into one word: the state (3 bits, 0 = nothing recorded), the reason (6 bits), whether a
/// reply TTL and a round trip are known (1 bit each), the TTL (8 bits) and the round trip in whole
/// nanoseconds (45 bits, nearly ten hours). Nanoseconds are finer than anything a report prints or
/// derives (the median and deviation are taken over nanoseconds), so every report comes out the same.
public struct PortCell: Hashable, Sendable {
    private var bits: UInt64

    public static let empty = PortCell(bits: 0)

    private init(bits: UInt64) { self.bits = bits }

    public init(state: PortState, reason: Reason, rtt: Duration?, replyTTL: UInt8?) {
        bits = CompactCodes.pack(code: UInt64(CompactCodes.stateIndex(state) + 1), reason: reason, rtt: rtt,
                                 replyTTL: replyTTL)
    }

    public init(_ result: PortResult) { self = result.cell }

    public var isEmpty: Bool { bits & CompactCodes.codeMask == 0 }
    public var state: PortState { CompactCodes.states[Int(bits & CompactCodes.codeMask) - 1] }
    public var reason: Reason { CompactCodes.reason(bits) }
    public var replyTTL: UInt8? { CompactCodes.replyTTL(bits) }
    public var rtt: Duration? { rttNanoseconds.map { .nanoseconds($0) } }
    /// The round trip in whole nanoseconds, nil when none: what median and deviation are taken over.
    public var rttNanoseconds: Int64? { CompactCodes.nanoseconds(bits) }

    public func result(host: IPAddress, port: UInt16, technique: Technique) -> PortResult {
        PortResult(host: host, proto: technique.transport, port: port, state: state, reason: reason,
                   technique: technique, rtt: rtt, replyTTL: replyTTL)
    }
}

/// The packed layout shared by the store's port and host cells, and the byte codes for enums.
enum CompactCodes {
    static let states = PortState.allCases
    static let reasons = Reason.allCases
    static let statuses: [HostStatus] = [.up, .down, .unknown]

    static let codeMask: UInt64 = 0b111
    private static let reasonShift: UInt64 = 3
    private static let hasTTLBit: UInt64 = 1 << 9
    private static let hasRTTBit: UInt64 = 1 << 10
    private static let ttlShift: UInt64 = 11
    private static let rttShift: UInt64 = 19
    private static let maxNanoseconds: Int64 = (1 << 45) - 1

    /// `code`: the state's or status's code, 1-7 (0 is "nothing recorded").
    static func pack(code: UInt64, reason: Reason, rtt: Duration?, replyTTL: UInt8?) -> UInt64 {
        var bits = code | UInt64(reasonIndex(reason)) << reasonShift
        if let replyTTL { bits |= hasTTLBit | UInt64(replyTTL) << ttlShift }
        if let rtt { bits |= hasRTTBit | UInt64(clamped(rtt)) << rttShift }
        return bits
    }

    static func reason(_ bits: UInt64) -> Reason { reasons[Int(bits >> reasonShift & 0b11_1111)] }

    static func replyTTL(_ bits: UInt64) -> UInt8? {
        bits & hasTTLBit == 0 ? nil : UInt8(truncatingIfNeeded: bits >> ttlShift)
    }

    static func nanoseconds(_ bits: UInt64) -> Int64? {
        bits & hasRTTBit == 0 ? nil : Int64(bits >> rttShift)
    }

    static func stateIndex(_ state: PortState) -> Int {
        switch state {
        case .open: 0
        case .closed: 1
        case .filtered: 2
        case .unfiltered: 3
        case .openFiltered: 4
        case .closedFiltered: 5
        }
    }

    static func statusIndex(_ status: HostStatus) -> Int {
        switch status {
        case .up: 0
        case .down: 1
        case .unknown: 2
        }
    }

    private static let reasonIndices: [Reason: Int] = Dictionary(uniqueKeysWithValues: reasons.enumerated().map { ($1, $0) })

    static func reasonIndex(_ reason: Reason) -> Int { reasonIndices[reason]! }

    /// Whole nanoseconds, within the 45 bits the cell keeps (a round trip is never negative).
    private static func clamped(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        guard seconds < maxNanoseconds / 1_000_000_000 else { return maxNanoseconds }
        return min(max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000), maxNanoseconds)
    }
}
