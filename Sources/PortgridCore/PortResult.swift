/// What one port answered to one technique. 32 bytes: the answer itself (state, reason, round trip,
/// reply TTL) is kept packed as the store keeps it (`PortCell`), where separate fields took 48. A
/// pass's end on a dead /16 hands on 65,536 of these at once, and they wait in the stream for the
/// consumer: 2 MB instead of 3.
public struct PortResult: Hashable, Sendable {
    public var host: IPAddress
    public var proto: TransportProtocol
    public var port: UInt16
    public var technique: Technique
    /// State, reason, round trip (in whole nanoseconds) and reply TTL.
    public private(set) var cell: PortCell

    public init(host: IPAddress, proto: TransportProtocol, port: UInt16, state: PortState, reason: Reason,
                technique: Technique, rtt: Duration? = nil, replyTTL: UInt8? = nil) {
        self.host = host
        self.proto = proto
        self.port = port
        self.technique = technique
        cell = PortCell(state: state, reason: reason, rtt: rtt, replyTTL: replyTTL)
    }

    /// A result whose answer is already packed (a batch's alike results share one).
    init(host: IPAddress, proto: TransportProtocol, port: UInt16, technique: Technique, cell: PortCell) {
        self.host = host
        self.proto = proto
        self.port = port
        self.technique = technique
        self.cell = cell
    }

    public var state: PortState {
        get { cell.state }
        set { cell = PortCell(state: newValue, reason: reason, rtt: rtt, replyTTL: replyTTL) }
    }

    public var reason: Reason {
        get { cell.reason }
        set { cell = PortCell(state: state, reason: newValue, rtt: rtt, replyTTL: replyTTL) }
    }

    /// Round trip of the probe that decided the state, when one was answered (to the nanosecond).
    public var rtt: Duration? {
        get { cell.rtt }
        set { cell = PortCell(state: state, reason: reason, rtt: newValue, replyTTL: replyTTL) }
    }

    /// TTL of the reply that decided the state (nmap's `reason_ttl`), when known.
    public var replyTTL: UInt8? {
        get { cell.replyTTL }
        set { cell = PortCell(state: state, reason: reason, rtt: rtt, replyTTL: newValue) }
    }

    public var key: ResultKey { ResultKey(host: host, proto: proto, port: port, technique: technique) }
}

/// Results stay apart per technique: a SYN scan's "filtered" must not overwrite a connect scan's "open".
public struct ResultKey: Hashable, Sendable {
    public var host: IPAddress
    public var proto: TransportProtocol
    public var port: UInt16
    public var technique: Technique

    public init(host: IPAddress, proto: TransportProtocol, port: UInt16, technique: Technique) {
        self.host = host
        self.proto = proto
        self.port = port
        self.technique = technique
    }
}
