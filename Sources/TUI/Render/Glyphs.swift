/// The glyphs of one drawing: Unicode box drawing and blocks, or ASCII when the locale cannot
/// show them.
struct Glyphs: Sendable {
    let horizontal, vertical: Character
    let topLeft, topRight, bottomLeft, bottomRight, teeDown, teeUp, teeRight, teeLeft, cross: Character
    let barDone, barTodo: Character
    let up, down, selected, ellipsis: Character
    /// A cell whose ports are partly decided, partly pending (see CellState.partial).
    let partial: Character
    private let states: [Character]

    static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeDown: "┬", teeUp: "┴", teeRight: "├", teeLeft: "┤", cross: "┼", barDone: "█", barTodo: "░", up: "●", down: "○", selected: "▶", ellipsis: "…", partial: "░",
        // pending, filtered, closed|filtered, closed, unfiltered, open|filtered, open
        states: ["·", "×", "▫", "▪", "▒", "▓", "█"])

    static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeDown: "+", teeUp: "+", teeRight: "+", teeLeft: "+", cross: "+", barDone: "#", barTodo: ".", up: "*", down: "o", selected: ">", ellipsis: "~", partial: ":",
        states: [".", "x", "=", "-", "+", "%", "#"])

    static func forScreen(_ screen: some Screen) -> Glyphs { screen.unicode ? .unicode : .ascii }

    init(horizontal: Character, vertical: Character, topLeft: Character, topRight: Character,
         bottomLeft: Character, bottomRight: Character, teeDown: Character, teeUp: Character,
         teeRight: Character, teeLeft: Character, cross: Character,
         barDone: Character, barTodo: Character, up: Character, down: Character, selected: Character,
         ellipsis: Character, partial: Character, states: [Character]) {
        self.horizontal = horizontal; self.vertical = vertical
        self.topLeft = topLeft; self.topRight = topRight; self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight; self.teeDown = teeDown; self.teeUp = teeUp
        self.teeRight = teeRight; self.teeLeft = teeLeft; self.cross = cross
        self.barDone = barDone; self.barTodo = barTodo
        self.up = up; self.down = down; self.selected = selected; self.ellipsis = ellipsis
        self.partial = partial
        self.states = states
    }

    func glyph(_ state: CellState) -> Character {
        switch state {
        case .hidden: " "
        case .partial: partial
        default: states[Int(state.rawValue)]
        }
    }

    static func role(_ state: CellState) -> Role {
        switch state.portState {
        case .open: .open
        case .openFiltered: .openFiltered
        case .unfiltered: .unfiltered
        case .closed: .closed
        case .closedFiltered: .closedFiltered
        case .filtered: .filtered
        case nil: .pending
        }
    }
}
