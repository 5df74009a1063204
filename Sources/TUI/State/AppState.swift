import PortgridCore

/// Everything the screen shows, as one value: the reducer changes it, the renderer draws it.
struct AppState: Sendable {
    var request: ScanRequest
    var size: ScreenSize
    var scan: ScanStatus
    var hosts = HostDirectory()
    var boards: [Technique: TechniqueBoard] = [:]
    var view = ViewState()
    var input: InputLine?
    var message: FooterMessage?
    var showHelp = false
    var quitting = false
    /// Names for ports on screen: the CLI's database (built-in table, nmap-services, /etc/services),
    /// read once before the TUI starts so drawing never touches a file.
    var services = ServiceNames.builtIn

    init(request: ScanRequest, size: ScreenSize) {
        self.request = request
        self.size = size
        scan = ScanStatus(id: 0, requested: request.technique)
    }

    var layout: Layout { Layout(size) }

    /// The technique whose results are on screen for `.current`: the running scan's effective one
    /// (a SYN request may have fallen back to connect).
    var currentTechnique: Technique { scan.plan?.technique ?? scan.requested }

    var shownTechniques: [Technique] {
        switch view.shown {
        case .current: [currentTechnique]
        case .only(let technique): [technique]
        case .all: boards.keys.sorted()
        }
    }

    var shownBoards: [TechniqueBoard] { shownTechniques.compactMap { boards[$0] } }

    /// Hosts in the list, after the filter (a state filter keeps hosts with a port in those states).
    var listedHosts: [IPAddress] {
        guard !view.filter.states.isEmpty else { return hosts.listed }
        let boards = shownBoards
        return hosts.listed.filter { host in
            boards.contains { board in
                let counts = board.counts(of: host)
                return view.filter.states.contains { counts[$0] > 0 }
            }
        }
    }

    /// The highlighted host: the chosen one while it is listed, else the first listed.
    var selectedHost: IPAddress? {
        let listed = listedHosts
        if let chosen = view.selectedHost {
            let index = HostDirectory.insertionPoint(of: chosen, in: listed)
            if index < listed.count && listed[index] == chosen { return chosen }
        }
        return listed.first
    }

    func gridSource(for host: IPAddress?) -> GridSource { GridSource(boards: shownBoards, host: host) }
}

/// The scan now running (or last run).
struct ScanStatus: Sendable {
    enum Phase: Hashable, Sendable {
        case starting
        case running
        case finished(ScanSummary.Outcome)
    }

    var id: Int
    var requested: Technique
    var phase: Phase = .starting
    var plan: ScanPlan?
    var progress: ScanProgress?
    var summary: ScanSummary?
    var paused = false

    var isRunning: Bool {
        if case .finished = phase { false } else { true }
    }
}

enum Pane: Hashable, Sendable { case hosts, grid }
enum ViewMode: Hashable, Sendable { case grid, list }

/// Where the person is looking: pane, view, cursor, zoom, filter.
struct ViewState: Sendable {
    var focus: Pane = .grid
    var mode: ViewMode = .grid
    var shown: ShownTechnique = .current
    var selectedHost: IPAddress?
    var hostTop = 0
    /// Position (in the shown port set) of the port under the grid cursor; survives resizes.
    var cursor = 0
    /// Nested zooms, each a range of positions in the shown port set.
    var zoom: [Range<Int>] = []
    var listCursor = 0
    var listTop = 0
    var filter = PortFilter.none
}

struct FooterMessage: Hashable, Sendable {
    var level: Notice.Level
    var text: String
}
