/// nmap's port states, with nmap's spelling as the raw value.
public enum PortState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case open
    case closed
    case filtered
    case unfiltered
    case openFiltered = "open|filtered"
    case closedFiltered = "closed|filtered"

    public var description: String { rawValue }

    /// What `--open` keeps, as nmap's does: open, open|filtered and unfiltered ports.
    public var isShownByOpen: Bool { self == .open || self == .openFiltered || self == .unfiltered }

    /// How much a person wants to see this state when one cell stands for many ports:
    /// open > open|filtered > unfiltered > closed > closed|filtered > filtered.
    public var interest: Int {
        switch self {
        case .open: 6
        case .openFiltered: 5
        case .unfiltered: 4
        case .closed: 3
        case .closedFiltered: 2
        case .filtered: 1
        }
    }
}
