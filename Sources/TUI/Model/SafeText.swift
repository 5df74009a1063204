import Report

/// Text from the network made safe for the screen: a service chooses its banner and, through the
/// probe file's `$1`, its product and version strings, so an escape sequence there would reach the
/// terminal. Everything outside printable ASCII and ordinary letters is shown as an escape instead.
enum SafeText {
    /// Raw bytes as escaped ASCII: `\r`, `\n`, `\t`, `\\`, and `\xNN` for every other byte outside
    /// 0x20-0x7E, so what a port sent can be read byte for byte.
    static func escaped(_ bytes: some Sequence<UInt8>) -> String {
        Escape.visible(bytes: bytes)
    }

    /// A decoded string with its control characters (C0, DEL, C1: the ones terminals act on)
    /// escaped; letters of any script stay as they are.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0..<0x20, 0x7F...0x9F:
                out += scalar.value <= 0xFF ? "\\x" + hex(UInt8(scalar.value)) : "?"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The banner as lines: one per line the service sent (each keeping its escaped `\r\n`), then cut
    /// to `width` columns, so the view reads like the conversation.
    static func bannerLines(_ bytes: [UInt8], width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var current: [UInt8] = []
        for byte in bytes {
            current.append(byte)
            if byte == 0x0A {
                lines.append(escaped(current))
                current = []
            }
        }
        if !current.isEmpty { lines.append(escaped(current)) }
        return lines.flatMap { line -> [String] in
            var pieces: [String] = []
            var rest = Substring(line)
            while rest.count > width {
                pieces.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
            pieces.append(String(rest))
            return pieces
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
