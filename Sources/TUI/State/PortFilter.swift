import PortgridCore

/// What `/` narrows the view to: state words (`open`, `open|filtered`, `pending`, ...) select
/// states; any other word matches a port number or a service name. Empty = everything.
struct PortFilter: Hashable, Sendable {
    private(set) var states: Set<CellState> = []
    private(set) var words: [String] = []
    let text: String

    static let none = PortFilter(parsing: "")

    init(parsing text: String) {
        self.text = text.trimmingCharacters(in: " ")
        for token in self.text.split(whereSeparator: { $0 == " " || $0 == "," }) {
            let word = token.lowercased()
            if let state = Self.state(named: word) { states.insert(state) } else { words.append(word) }
        }
    }

    var isEmpty: Bool { states.isEmpty && words.isEmpty }

    static func state(named word: String) -> CellState? {
        switch word {
        case "pending": .pending
        case "open|filtered", "openfiltered", "open-filtered": CellState(.openFiltered)
        case "closed|filtered", "closedfiltered", "closed-filtered": CellState(.closedFiltered)
        default: PortState(rawValue: word).map(CellState.init)
        }
    }

    func matches(state: CellState) -> Bool { states.isEmpty || states.contains(state) }

    func matches(port: UInt16, service: String?) -> Bool {
        guard !words.isEmpty else { return true }
        let number = String(port)
        return words.contains { word in number == word || (service?.lowercased().contains(word) ?? false) }
    }

    func matches(state: CellState, port: UInt16, service: String?) -> Bool {
        matches(state: state) && matches(port: port, service: service)
    }

    /// States the open-ports list shows: the filter's, or the ones worth a line by default.
    var listedStates: Set<CellState> {
        states.isEmpty ? [CellState(.open), CellState(.openFiltered), CellState(.unfiltered)] : states
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
