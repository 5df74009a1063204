/// IPv6 extension headers (RFC 8200 §4) between the fixed header and the transport header. A
/// reply may carry some (a hop-by-hop option, a fragment header, destination options, ...), and
/// so may the packet an ICMPv6 error quotes; the walk skips them to the upper-layer header. It is
/// bounded: at most `maximumHeaders`, each length checked against the buffer, so a hostile chain
/// can neither loop nor read past the end.
public enum IPv6Extensions {
    public static let hopByHop = IPProtocol(rawValue: 0)
    public static let routing = IPProtocol(rawValue: 43)
    public static let fragment = IPProtocol(rawValue: 44)
    public static let authentication = IPProtocol(rawValue: 51)
    public static let destinationOptions = IPProtocol(rawValue: 60)
    /// More than this many extension headers is not a reply worth reading.
    public static let maximumHeaders = 8

    /// Where the walk ended: the upper-layer protocol (or the header it could not pass: ESP, "no
    /// next header", an unknown one, or an extension header cut off by the end of the buffer), its
    /// offset in `bytes`, and whether a fragment header said this is not the first fragment (whose
    /// payload has no transport header).
    public struct Walk: Hashable, Sendable {
        public var upperLayer: IPProtocol
        public var offset: Int
        public var isNonFirstFragment: Bool
    }

    public static func isExtension(_ proto: IPProtocol) -> Bool {
        proto == hopByHop || proto == routing || proto == fragment || proto == authentication
            || proto == destinationOptions
    }

    /// Walks from `offset`, where a header of type `first` starts.
    public static func walk(_ bytes: UnsafeRawBufferPointer, first: IPProtocol, at offset: Int) -> Walk {
        var proto = first, position = offset, nonFirst = false
        for _ in 0..<maximumHeaders {
            guard isExtension(proto), position + 8 <= bytes.count else { break }
            let next = IPProtocol(rawValue: bytes[position])
            let length: Int
            switch proto {
            case fragment:
                length = 8
                let offsetField = UInt16(bytes[position + 2]) << 8 | UInt16(bytes[position + 3])
                if offsetField >> 3 != 0 { nonFirst = true }
            case authentication:
                length = (Int(bytes[position + 1]) + 2) * 4
            default:
                length = (Int(bytes[position + 1]) + 1) * 8
            }
            guard position + length <= bytes.count else { break }
            proto = next
            position += length
        }
        return Walk(upperLayer: proto, offset: position, isNonFirstFragment: nonFirst)
    }
}
