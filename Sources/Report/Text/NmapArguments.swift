/// Joins argv as nmap records its own command line (the `as:` line of -oN and -oG, XML `args`):
/// a backslash or double quote is escaped with a backslash, and a word holding white space is put
/// in double quotes. Everything else stays as typed, so the line reads as nmap's would.
enum NmapArguments {
    static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    static func quote(_ word: String) -> String {
        var out = ""
        var spaced = false
        for ch in word {
            // C's isspace: space, \t, \n, \v, \f, \r.
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\u{0B}" || ch == "\u{0C}" || ch == "\r" || ch == "\r\n" {
                spaced = true
            }
            if ch == "\\" || ch == "\"" { out.append("\\") }
            out.append(ch)
        }
        return spaced ? "\"" + out + "\"" : out
    }
}
