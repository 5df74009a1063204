/// What one port answered to one technique.
public struct PortResult: Hashable, Sendable {
    public var host: IPAddress
    public var proto: TransportProtocol
    public var port: UInt16
    public var state: PortState
    public var reason: Reason
    public var technique: Technique
    /// Round trip of the probe that decided the state, when one was answered.
    public var rtt: Duration?
    /// TTL of the reply that decided the state (nmap's `reason_ttl`), when known.
    public var replyTTL: UInt8?

    public init(host: IPAddress, proto: TransportProtocol, port: UInt16, state: PortState, reason: Reason,
                technique: Technique, rtt: Duration? = nil, replyTTL: UInt8? = nil) {
        self.host = host
        self.proto = proto
        self.port = port
        self.state = state
        self.reason = reason
        self.technique = technique
        self.rtt = rtt
        self.replyTTL = replyTTL
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
