/// Escaping for each format's quoting rules, in one place so no writer hand-rolls its own.
public enum Escape {
    /// XML attribute values and comments, as nmap's `xml_convert` does it: markup characters as
    /// entities, tab/CR/LF as character references (so attribute normalization keeps them), and the
    /// second dash of `--` as `&#45;` because `--` may not appear inside an XML comment.
    static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previous: Character?
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#x9;"
            case "\r": out += "&#xd;"
            case "\n": out += "&#xa;"
            case "-" where previous == "-": out += "&#45;"
            default:
                // Other C0 controls are not allowed in XML 1.0 at all.
                if let scalar = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, scalar.value < 0x20 {
                    out += "?"
                } else {
                    out.append(ch)
                }
            }
            previous = ch
        }
        return out
    }

    /// `json(text)` written into `out`: a text with nothing to escape (every service name, most
    /// host names) goes in as it is, between quotes.
    static func json(_ text: String, to out: ReportSink) {
        guard !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            return out.write(json(text))
        }
        out.write("\"")
        out.write(text)
        out.write("\"")
    }

    /// A JSON string literal, quotes included (RFC 8259).
    static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
    static func csv(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
        else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// A Markdown table cell: `|` would end the cell (open|filtered has one), a line break the row.
    static func markdownCell(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "\n", "\r", "\r\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }

    /// An inline code span that survives backticks inside: the fence is longer than any run within.
    static func markdownCode(_ text: String) -> String {
        var longest = 0, run = 0
        for ch in text {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }

    /// Grepable port entries are `/`-separated fields in a `,`-separated list: like nmap, a `/`
    /// inside a field becomes `|`, and a `,` becomes `;` so the list still splits right.
    static func grepField(_ text: String) -> String {
        String(text.map { $0 == "/" ? "|" : $0 == "," ? ";" : $0 })
    }
}
