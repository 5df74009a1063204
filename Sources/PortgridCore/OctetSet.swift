/// A set of values 0...255 as a 256-bit map: nmap's octet ranges (`1-20`, `1,3,5-9`, `*`)
/// stay four small words however wide they are.
public struct OctetSet: Hashable, Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    public init(_ range: ClosedRange<UInt8>) {
        for v in range { insert(v) }
    }

    public static let all = OctetSet(0...255)

    public mutating func insert(_ v: UInt8) {
        let bit = UInt64(1) << (v & 63)
        switch v >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    public func contains(_ v: UInt8) -> Bool {
        let bit = UInt64(1) << (v & 63)
        switch v >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    public var count: Int {
        words.0.nonzeroBitCount + words.1.nonzeroBitCount + words.2.nonzeroBitCount + words.3.nonzeroBitCount
    }

    /// The n-th member in ascending order.
    public func element(at n: Int) -> UInt8 {
        var remaining = n
        for v in 0...255 where contains(UInt8(v)) {
            if remaining == 0 { return UInt8(v) }
            remaining -= 1
        }
        preconditionFailure("OctetSet index \(n) out of range \(count)")
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2); hasher.combine(words.3)
    }
}
