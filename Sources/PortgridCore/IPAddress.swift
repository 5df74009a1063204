/// An IPv4 address as a host-order integer, so ranges and CIDR blocks are arithmetic.
public struct IPv4Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: UInt32

    public init(_ value: UInt32) { self.value = value }

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        value = UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d)
    }

    /// Strict dotted-quad parsing: four decimal octets, each 0...255, no shorthand forms.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: UInt32 = 0
        for part in parts {
            guard let octet = Self.octet(part) else { return nil }
            result = result << 8 | UInt32(octet)
        }
        value = result
    }

    static func octet(_ text: some StringProtocol) -> UInt8? {
        guard !text.isEmpty, text.count <= 3, text.allSatisfy({ $0.isASCII && $0.isNumber }),
              let number = Int(text), number <= 255 else { return nil }
        return UInt8(number)
    }

    public var octets: (UInt8, UInt8, UInt8, UInt8) {
        (UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
         UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    public var isLoopback: Bool { value >> 24 == 127 }

    public var description: String {
        let o = octets
        return "\(o.0).\(o.1).\(o.2).\(o.3)"
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// An IPv6 address as one 128-bit integer, for the same reason.
public struct IPv6Address: Hashable, Comparable, Sendable, CustomStringConvertible {
    // Kept as two halves: a stored UInt128 is 16-byte aligned, which made every IPAddress, and every
    // array and dictionary of them (a /16's plan and report hold 65,536), 32 bytes a piece, not 24.
    private var high: UInt64
    private var low: UInt64

    public var value: UInt128 {
        get { UInt128(high) << 64 | UInt128(low) }
        set {
            high = UInt64(truncatingIfNeeded: newValue >> 64)
            low = UInt64(truncatingIfNeeded: newValue)
        }
    }

    public init(_ value: UInt128) {
        high = UInt64(truncatingIfNeeded: value >> 64)
        low = UInt64(truncatingIfNeeded: value)
    }

    /// RFC 4291 text forms: eight groups, `::` once, and a trailing dotted quad.
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard !text.isEmpty, text.count <= 45, text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." })
        else { return nil }
        // Split once on "::" by hand: the model layer stays free of Foundation.
        var halves: [String] = [text]
        if let gap = text.firstRange(of: "::") {
            halves = [String(text[..<gap.lowerBound]), String(text[gap.upperBound...])]
            guard !halves[1].contains("::") else { return nil }
        }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if piece.contains(".") {
                    guard index == pieces.count - 1, let v4 = IPv4Address(piece) else { return nil }
                    result.append(UInt16(v4.value >> 16))
                    result.append(UInt16(truncatingIfNeeded: v4.value))
                } else {
                    guard !piece.isEmpty, piece.count <= 4, let group = UInt16(piece, radix: 16) else { return nil }
                    result.append(group)
                }
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count <= 7 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        self.init(all.reduce(UInt128(0)) { $0 << 16 | UInt128($1) })
    }

    public var groups: [UInt16] { (0..<8).map { UInt16(truncatingIfNeeded: value >> (112 - 16 * UInt128($0))) } }

    public var isLoopback: Bool { value == 1 }

    /// RFC 5952 canonical text: lower case, the longest run of two or more zero groups as `::`.
    public var description: String {
        let g = groups
        var bestStart = -1, bestLength = 1, runStart = -1
        for i in 0...8 {
            if i < 8, g[i] == 0 {
                if runStart < 0 { runStart = i }
            } else if runStart >= 0 {
                if i - runStart > bestLength { bestStart = runStart; bestLength = i - runStart }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String { range.map { String(g[$0], radix: 16) }.joined(separator: ":") }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// Either family; ordered IPv4 first, then numerically, so tables sort the way people expect.
public enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public init?(_ text: some StringProtocol) {
        if let v4 = IPv4Address(text) { self = .v4(v4) }
        else if let v6 = IPv6Address(text) { self = .v6(v6) }
        else { return nil }
    }

    public var description: String {
        switch self {
        case .v4(let a): a.description
        case .v6(let a): a.description
        }
    }

    public var isIPv6: Bool { if case .v6 = self { true } else { false } }

    public var isLoopback: Bool {
        switch self {
        case .v4(let a): a.isLoopback
        case .v6(let a): a.isLoopback
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v6(let a), .v6(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        }
    }
}
