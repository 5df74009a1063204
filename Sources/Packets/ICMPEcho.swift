/// The body of an ICMP / ICMPv6 echo request or reply: the identifier and sequence number a
/// pinger uses to match replies, and the payload it gets echoed back.
public struct ICMPEcho: Sendable, Hashable {
    public var identifier: UInt16
    public var sequence: UInt16
    public var payload: [UInt8]

    public init(identifier: UInt16, sequence: UInt16, payload: [UInt8] = []) {
        self.identifier = identifier
        self.sequence = sequence
        self.payload = payload
    }
}
