/// A version template such as `v/$2 Debian $3/`, `p/$P(1)/` or `i/$SUBST(1,"_",".")/`, filled from a match's
/// captures the way nmap's dotmplsubst does: captures copied as bytes, trailing spaces and commas trimmed,
/// and a field that would not fit nmap's buffer (or names a missing capture) left empty.
public struct Template: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case literal([UInt8])
        case capture(Int)
        /// `$P(n)`: only the printable bytes of capture n (collapses UTF-16 text such as "W\0O\0R\0K\0").
        case printable(Int)
        /// `$SUBST(n,"find","replace")`.
        case substitute(Int, find: [UInt8], replace: [UInt8])
        /// `$I(n,">")` / `$I(n,"<")`: capture n read as an unsigned big- or little-endian integer.
        case integer(Int, bigEndian: Bool)
    }

    /// nil when the template uses a `$` form nmap does not know: such a template never fills.
    let segments: [Segment]?
    public let text: String

    public init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
        segments = Self.parse(bytes)
    }

    public init(_ text: String) { self.init(Array(text.utf8)) }

    /// The filled text, or nil when a capture is missing or the result is longer than nmap's `limit` allows.
    public func fill(_ captures: Pattern.Captures, limit: Int,
                     transform: (([UInt8]) -> [UInt8])? = nil) -> String? {
        guard let segments else { return nil }
        var out: [UInt8] = []
        for segment in segments {
            switch segment {
            case .literal(let bytes):
                out += bytes
            case .capture(let index), .printable(let index), .substitute(let index, _, _), .integer(let index, _):
                guard index >= 1, index < captures.groups.count else { return nil }
                let group = captures.groups[index] ?? []
                var piece: [UInt8]
                switch segment {
                case .printable: piece = group.filter { (0x20...0x7E).contains($0) }
                case .substitute(_, let find, let replace): piece = Self.substitute(group, find, replace)
                case .integer(_, let bigEndian): piece = Self.integer(group, bigEndian: bigEndian)
                default: piece = group
                }
                out += transform?(piece) ?? piece
            }
        }
        while let last = out.last, last == UInt8(ascii: ",") || Self.isSpace(last) { out.removeLast() }
        guard out.count < limit - 1, !out.isEmpty else { return nil }
        return Self.text(out)
    }

    /// nmap's transform_cpe: CPE-reserved bytes percent-encoded, spaces to underscores, letters lower-cased.
    public static func cpeEscaped(_ bytes: [UInt8]) -> [UInt8] {
        let reserved = Set(":/?#[]@!$&'()*+,;=%<>\"".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            if reserved.contains(byte) {
                out += Array("%\(String(byte, radix: 16, uppercase: true))".utf8)
            } else if byte == UInt8(ascii: " ") {
                out.append(UInt8(ascii: "_"))
            } else if (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) {
                out.append(byte + 32)
            } else {
                out.append(byte)
            }
        }
        return out
    }

    /// Bytes as text: UTF-8 when they are, else one character per byte (Latin-1), so nothing is replaced by U+FFFD.
    static func text(_ bytes: [UInt8]) -> String {
        if let utf8 = String(validating: bytes, as: UTF8.self) { return utf8 }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }

    private static func substitute(_ group: [UInt8], _ find: [UInt8], _ replace: [UInt8]) -> [UInt8] {
        guard !find.isEmpty else { return group }
        var out: [UInt8] = []
        var index = 0
        while index < group.count {
            if index + find.count <= group.count, Array(group[index..<index + find.count]) == find {
                out += replace
                index += find.count
            } else {
                out.append(group[index])
                index += 1
            }
        }
        return out
    }

    private static func integer(_ group: [UInt8], bigEndian: Bool) -> [UInt8] {
        let ordered = bigEndian ? group : group.reversed()
        var value: UInt64 = 0
        for byte in ordered.prefix(8) { value = value << 8 | UInt64(byte) }
        return Array(String(value).utf8)
    }

    private static func parse(_ bytes: [UInt8]) -> [Segment]? {
        var segments: [Segment] = []
        var literal: [UInt8] = []
        var index = 0
        func flush() { if !literal.isEmpty { segments.append(.literal(literal)); literal = [] } }
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "$") else { literal.append(byte); index += 1; continue }
            flush()
            index += 1
            guard index < bytes.count else { return nil }
            if let digit = Self.digit(bytes[index]) {
                segments.append(.capture(digit))
                index += 1
                continue
            }
            // A command: letters, '(', arguments, ')'.
            var name: [UInt8] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "(") { name.append(bytes[index]); index += 1 }
            guard index < bytes.count, let (arguments, end) = Self.arguments(bytes, from: index + 1) else { return nil }
            index = end
            switch (String(decoding: name, as: UTF8.self), arguments.count) {
            case ("P", 1):
                guard case .number(let n) = arguments[0] else { return nil }
                segments.append(.printable(n))
            case ("SUBST", 3):
                guard case .number(let n) = arguments[0], case .text(let find) = arguments[1],
                      case .text(let replace) = arguments[2] else { return nil }
                segments.append(.substitute(n, find: find, replace: replace))
            case ("I", 2):
                guard case .number(let n) = arguments[0], case .text(let order) = arguments[1],
                      order == Array(">".utf8) || order == Array("<".utf8) else { return nil }
                segments.append(.integer(n, bigEndian: order == Array(">".utf8)))
            default:
                return nil
            }
        }
        flush()
        return segments
    }

    private enum Argument { case number(Int), text([UInt8]) }

    /// Arguments of a `$COMMAND(` up to its `)`: integers and double-quoted C-escaped strings.
    private static func arguments(_ bytes: [UInt8], from start: Int) -> ([Argument], Int)? {
        var arguments: [Argument] = []
        var index = start
        while index < bytes.count {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ")") { return (arguments, index + 1) }
            if bytes[index] == UInt8(ascii: "\"") {
                var raw: [UInt8] = []
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count { raw.append(bytes[index]); index += 1 }
                    raw.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count, let text = CEscapes.unescape(raw) else { return nil }
                arguments.append(.text(text))
                index += 1
            } else {
                var number = 0
                var seen = false
                while index < bytes.count, let digit = digit(bytes[index]) { number = number * 10 + digit; index += 1; seen = true }
                guard seen else { return nil }
                arguments.append(.number(number))
            }
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: ",") { index += 1 }
        }
        return nil
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
