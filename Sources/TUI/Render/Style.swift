/// What a cell means, not how it looks: each Screen maps roles to colors (or, without colors,
/// to attributes), so the renderer never knows what terminal it draws on.
enum Role: UInt8, Hashable, Sendable, CaseIterable {
    case normal, dim, title, accent, border, focus
    case open, openFiltered, unfiltered, closed, closedFiltered, filtered, pending
    case info, warning, error
    case barDone, barTodo
}

struct Style: Hashable, Sendable {
    var role: Role
    var bold = false
    var reverse = false

    init(_ role: Role = .normal, bold: Bool = false, reverse: Bool = false) {
        self.role = role
        self.bold = bold
        self.reverse = reverse
    }

    static let normal = Style()
}

struct Cell: Hashable, Sendable {
    var glyph: Character
    var style: Style

    static let blank = Cell(glyph: " ", style: .normal)
}
