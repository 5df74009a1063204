/// One port's answer as `ResultStore` keeps it: eight bytes (state, reason, reply TTL, round trip in
/// microseconds), where a `PortResult` also carries its host, port and technique and takes about 80.
/// A -p- scan is 65,535 of these per host, so the difference is most of the store.
public struct PortCell: Hashable, Sendable {
    /// 0: nothing recorded; else the state's position in `PortState.allCases` plus one.
    private var stateCode: UInt8
    private var reasonCode: UInt8
    private var ttlCode: UInt8
    private var hasTTL: Bool
    /// `UInt32.max`: no answered probe. Microseconds are the finest unit any report prints.
    private var rttMicros: UInt32

    public static let empty = PortCell(stateCode: 0, reasonCode: 0, ttlCode: 0, hasTTL: false, rttMicros: .max)

    private init(stateCode: UInt8, reasonCode: UInt8, ttlCode: UInt8, hasTTL: Bool, rttMicros: UInt32) {
        self.stateCode = stateCode
        self.reasonCode = reasonCode
        self.ttlCode = ttlCode
        self.hasTTL = hasTTL
        self.rttMicros = rttMicros
    }

    public init(state: PortState, reason: Reason, rtt: Duration?, replyTTL: UInt8?) {
        self.init(stateCode: UInt8(CompactCodes.stateIndex(state) + 1), reasonCode: UInt8(CompactCodes.reasonIndex(reason)),
                  ttlCode: replyTTL ?? 0, hasTTL: replyTTL != nil, rttMicros: CompactCodes.micros(rtt))
    }

    public init(_ result: PortResult) {
        self.init(state: result.state, reason: result.reason, rtt: result.rtt, replyTTL: result.replyTTL)
    }

    public var isEmpty: Bool { stateCode == 0 }
    public var state: PortState { CompactCodes.states[Int(stateCode) - 1] }
    public var reason: Reason { CompactCodes.reasons[Int(reasonCode)] }
    public var replyTTL: UInt8? { hasTTL ? ttlCode : nil }
    public var rtt: Duration? { CompactCodes.duration(rttMicros) }
    /// The round trip in microseconds, nil when none: what median and deviation are taken over.
    public var rttMicroseconds: UInt32? { rttMicros == .max ? nil : rttMicros }

    public func result(host: IPAddress, port: UInt16, technique: Technique) -> PortResult {
        PortResult(host: host, proto: technique.transport, port: port, state: state, reason: reason,
                   technique: technique, rtt: rtt, replyTTL: replyTTL)
    }
}

/// The byte codes compact records use for enums and round trips: one table each, read by index.
enum CompactCodes {
    static let states = PortState.allCases
    static let reasons = Reason.allCases
    static let statuses: [HostStatus] = [.up, .down, .unknown]

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

    static func reasonIndex(_ reason: Reason) -> Int { reasons.firstIndex(of: reason)! }

    static func statusIndex(_ status: HostStatus) -> Int {
        switch status {
        case .up: 0
        case .down: 1
        case .unknown: 2
        }
    }

    /// Whole microseconds (as reports print them), saturating below the "none" marker.
    static func micros(_ duration: Duration?) -> UInt32 {
        guard let duration else { return .max }
        let (seconds, attoseconds) = duration.components
        let micros = max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        return UInt32(min(micros, Int64(UInt32.max - 1)))
    }

    static func duration(_ micros: UInt32) -> Duration? { micros == .max ? nil : .microseconds(Int64(micros)) }
}
