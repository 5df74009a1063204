/// When the locale is not UTF-8 every glyph drawn must be ASCII: text written through
/// `Screen.put` is mapped here, one character for one, so widths never change.
enum AsciiFallback {
    static func map(_ c: Character) -> Character {
        if c.isASCII { return c }
        switch c {
        case "·", "─", "━": return "-"
        case "…": return "~"
        case "←": return "<"
        case "↑": return "^"
        case "↓": return "v"
        case "→", "▶": return ">"
        case "│": return "|"
        case "●": return "*"
        case "○": return "o"
        case "∞": return "*"
        case "×", "✗": return "x"
        case "┌", "┐", "└", "┘", "┬", "┴", "├", "┤", "┼": return "+"
        case "█": return "#"
        case "▓": return "%"
        case "▒": return "+"
        case "░": return "."
        case "▪": return "-"
        case "▫": return "="
        default: return "?"
        }
    }
}
