/// Everything that can be wrong with a byte string handed to a parser (or with values handed to
/// a builder). Parsers never trap: every malformed input ends in one of these cases, and each
/// case names the layer and the field that lied, so a caller can log or count it meaningfully.
public enum PacketError: Error, Sendable, Hashable {
    /// Which header (or quoted header) the error is about.
    public enum Layer: Sendable, Hashable {
        case ipv4, ipv6, tcp, udp, icmpv4, icmpv6
        /// The IP header quoted inside an ICMP error message.
        case quotedIPv4, quotedIPv6
    }

    /// The buffer ends before a field of `layer` does: `needed` bytes were required, `available` were there.
    case truncated(Layer, needed: Int, available: Int)
    /// The IP version nibble is not the one the parser was asked for.
    case wrongVersion(Layer, found: UInt8)
    /// A header length field (IPv4 IHL, TCP data offset) claims fewer bytes than the fixed header has.
    case headerLengthTooSmall(Layer, length: Int, minimum: Int)
    /// A header length field claims more bytes than the buffer (or the enclosing datagram) holds.
    case headerLengthPastEnd(Layer, length: Int, available: Int)
    /// A total length field (IPv4 total length, UDP length) is smaller than the header it covers.
    case totalLengthTooSmall(Layer, length: Int, minimum: Int)
    /// A total length field (IPv4 total length, IPv6 payload length, UDP length) runs past the buffer.
    case totalLengthPastEnd(Layer, length: Int, available: Int)
    /// An option (IPv4 or TCP) starting at `offset` within the options area runs past its end.
    case optionPastEnd(Layer, kind: UInt8, offset: Int)
    /// An option's length byte is below 2, which would make the option list loop or underflow.
    case optionLengthInvalid(Layer, kind: UInt8, length: Int)
    /// Options given to a builder do not fit the 40 bytes a header can carry.
    case optionsTooLong(Layer, length: Int)
}
