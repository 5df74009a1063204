import PortgridCore

/// The states each technique can report (DESIGN.md's table), most telling first: what the host
/// list counts, the legend explains and the done line sums. A FIN scan never says "open", so
/// counting only open ports after one would read as "nothing found".
extension Technique {
    var producedStates: [CellState] {
        switch self {
        case .connect, .syn: [CellState(.open), CellState(.closed), CellState(.filtered)]
        case .udp: [CellState(.open), CellState(.openFiltered), CellState(.closed), CellState(.filtered)]
        case .fin, .null, .xmas: [CellState(.openFiltered), CellState(.closed), CellState(.filtered)]
        case .ack: [CellState(.unfiltered), CellState(.filtered)]
        case .ping: []
        }
    }
}

extension CellState {
    /// The state's word as nmap writes it; "pending" for a port not decided yet.
    var name: String {
        switch self {
        case .partial: "partly scanned"
        case .hidden: ""
        default: portState?.rawValue ?? "pending"
        }
    }

    /// A column heading of at most 5 characters (the host pane is narrow at 80 columns).
    var shortName: String {
        switch portState {
        case .open: "OPEN"
        case .closed: "CLSD"
        case .filtered: "FILT"
        case .unfiltered: "UNFLT"
        case .openFiltered: "OP|F"
        case .closedFiltered: "CL|F"
        case nil: "PEND"
        }
    }
}

/// States of the techniques shown, in the order people care about (open first), no repeats.
func producedStates(of techniques: [Technique]) -> [CellState] {
    let all = Set(techniques.flatMap(\.producedStates))
    return all.sorted(by: >)
}
