/// The services-file format (`name port/proto [aliases...] [# comment]`, as /etc/services and nmap-services
/// write it), read in one pass over its UTF-8 bytes.
///
/// Every run loads nmap's 27,000-line table before its report, so no line or field becomes a String:
/// only a name that takes a still-empty (port, protocol) slot is copied. The rules are those the
/// String parser had: text from the first `#` on is a comment; fields are split by spaces or tabs;
/// the first field is the name, the second `port/proto`, split on `/` with empty pieces dropped into
/// exactly a port (decimal, as `UInt16(_:)` reads it: an optional sign, at most 65535) and `tcp` or
/// `udp`; any other line is skipped; the first name given a slot keeps it.
/// One deliberate difference: a carriage return separates fields too, so CRLF files read as LF files
/// do (to the String parser, `"\r\n"` was one Character, and a CRLF file was a single broken line).
enum ServicesFileParser {
    static func parse(_ bytes: UnsafeRawBufferPointer) -> ServiceNames {
        var table = Table()
        var index = 0
        while index < bytes.count {
            index = skipBlanks(bytes, from: index)
            let nameStart = index
            index = fieldEnd(bytes, from: index)
            let name = nameStart..<index
            index = skipBlanks(bytes, from: index)
            let slotStart = index
            index = fieldEnd(bytes, from: index)
            if !name.isEmpty, let (port, proto) = slot(bytes, slotStart..<index) {
                table.offer(port: port, proto: proto, name: name)
            }
            // Aliases and comments are not read: on to the next line.
            while index < bytes.count, bytes[index] != ASCII.newline { index += 1 }
            index += 1
        }
        return table.names(in: bytes)
    }

    private enum ASCII {
        static let newline = UInt8(ascii: "\n")
        static let carriageReturn = UInt8(ascii: "\r")
        static let space = UInt8(ascii: " ")
        static let tab = UInt8(ascii: "\t")
        static let hash = UInt8(ascii: "#")
        static let slash = UInt8(ascii: "/")
        static let plus = UInt8(ascii: "+")
        static let minus = UInt8(ascii: "-")
        static let zero = UInt8(ascii: "0")
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == ASCII.space || byte == ASCII.tab || byte == ASCII.carriageReturn
    }

    private static func skipBlanks(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count, isBlank(bytes[index]) { index += 1 }
        return index
    }

    /// A field runs to a blank, the comment or the line's end.
    private static func fieldEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if isBlank(byte) || byte == ASCII.hash || byte == ASCII.newline { break }
            index += 1
        }
        return index
    }

    /// `port/proto`: exactly two non-empty pieces between slashes (`22//tcp` and `/22/tcp` count, as
    /// they did for `split(separator: "/")`).
    private static func slot(_ bytes: UnsafeRawBufferPointer, _ field: Range<Int>) -> (UInt16, TransportProtocol)? {
        var first: Range<Int>?, second: Range<Int>?
        var index = field.lowerBound
        while index < field.upperBound {
            if bytes[index] == ASCII.slash { index += 1; continue }
            let start = index
            while index < field.upperBound, bytes[index] != ASCII.slash { index += 1 }
            if first == nil { first = start..<index } else if second == nil { second = start..<index } else { return nil }
        }
        guard let first, let second, let port = port(bytes, first), let proto = transport(bytes, second) else {
            return nil
        }
        return (port, proto)
    }

    /// Decimal as `UInt16(_:)` reads it: one optional sign, then digits only; `-0` is 0, `-1` is no port.
    private static func port(_ bytes: UnsafeRawBufferPointer, _ piece: Range<Int>) -> UInt16? {
        var index = piece.lowerBound
        let sign = bytes[index]
        let negative = sign == ASCII.minus
        if negative || sign == ASCII.plus { index += 1 }
        guard index < piece.upperBound else { return nil }
        var value = 0
        while index < piece.upperBound {
            let digit = bytes[index] &- ASCII.zero
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
            // Stops before a long run of digits could overflow.
            guard value <= Int(UInt16.max) else { return nil }
            index += 1
        }
        if negative && value != 0 { return nil }
        return UInt16(value)
    }

    private static func transport(_ bytes: UnsafeRawBufferPointer, _ piece: Range<Int>) -> TransportProtocol? {
        guard piece.count == 3 else { return nil }
        let first = bytes[piece.lowerBound], second = bytes[piece.lowerBound + 1], third = bytes[piece.lowerBound + 2]
        guard third == UInt8(ascii: "p") else { return nil }
        if first == UInt8(ascii: "t") && second == UInt8(ascii: "c") { return .tcp }
        if first == UInt8(ascii: "u") && second == UInt8(ascii: "d") { return .udp }
        return nil
    }

    /// The names found (as ranges of the file's bytes), and a bit per slot already taken, so a
    /// repeated port costs no search. The tables are built at the end, each name copied once.
    private struct Table {
        private var tcpEntries: [(port: UInt16, name: Range<Int>)] = []
        private var udpEntries: [(port: UInt16, name: Range<Int>)] = []
        private var taken = [UInt64](repeating: 0, count: 2 * 65_536 / 64)

        mutating func offer(port: UInt16, proto: TransportProtocol, name: Range<Int>) {
            let slot = (proto == .tcp ? 0 : 65_536) + Int(port)
            let bit: UInt64 = 1 << UInt64(slot & 63)
            guard taken[slot >> 6] & bit == 0 else { return }
            taken[slot >> 6] |= bit
            if proto == .tcp { tcpEntries.append((port, name)) } else { udpEntries.append((port, name)) }
        }

        func names(in bytes: UnsafeRawBufferPointer) -> ServiceNames {
            ServiceNames(tcp: .sorting(tcpEntries, in: bytes), udp: .sorting(udpEntries, in: bytes))
        }
    }
}
