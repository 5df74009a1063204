/// A one-line editor: arrows, Home/End, Backspace, Delete, Ctrl-U, and a message line for the
/// parser's complaint. Pure value; the reducer feeds it keys.
struct InputLine: Hashable, Sendable {
    enum Purpose: Hashable, Sendable {
        case targets, ports, timing, filter, search, export

        var prompt: String {
            switch self {
            case .targets: "targets"
            case .ports: "ports"
            case .timing: "timing flags"
            case .filter: "filter"
            case .search: "search hosts"
            case .export: "export to"
            }
        }
    }

    enum Outcome: Equatable {
        case editing
        case submitted(String)
        case cancelled
    }

    let purpose: Purpose
    private(set) var text: [Character]
    private(set) var cursor: Int
    var error: String?

    init(_ purpose: Purpose, text: String = "") {
        self.purpose = purpose
        self.text = Array(text)
        cursor = self.text.count
    }

    var string: String { String(text) }

    mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .enter: return .submitted(string)
        case .escape: return .cancelled
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace:
            if cursor > 0 { text.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"):
            if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("u"):
            text.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrl("k"):
            text.removeSubrange(cursor...)
        case .char(let c) where !c.isNewline:
            text.insert(c, at: cursor)
            cursor += 1
        default:
            return .editing
        }
        error = nil
        return .editing
    }
}
