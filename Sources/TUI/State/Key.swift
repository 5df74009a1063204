/// A key press, decoded from the terminal's codes; the reducer sees only these.
enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a lower-case letter (Ctrl-C, Ctrl-U, ...).
    case ctrl(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
}
