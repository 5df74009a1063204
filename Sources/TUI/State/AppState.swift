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
    /// First line of the help overlay on screen (it scrolls on small terminals).
    var helpTop = 0
    /// The host whose detail is open over the panes (Enter on a host), and its scroll position.
    var hostDetail: HostDetailState?
    /// The port whose service, banner and certificate are open (Enter on a port), over everything else.
    var portDetail: PortDetailState?
    /// -sV in this session; nil when the command line did not ask for it.
    var detection: DetectionState?
    /// Set in `portgrid view`: the session shows stored reports and refuses keys that would scan.
    var viewing: ViewingState?
    var quitting = false
    /// The session ended on Ctrl-C: in raw mode it arrives as a key, not as SIGINT, yet the command
    /// must exit as an interrupt (130), as the README promises.
    var interruptedByKey = false
    /// What happened, with times: discoveries, notices, technique, range and timing changes.
    var log = EventLog()
    /// Time since the session started, set by the loop before each action so the reducer stays pure.
    var now: Duration = .zero
    /// What the person changed after the start command, one sentence each (TUIOutcome.changes).
    var changes: [String] = []
    /// Scanning time of the scans already finished (TUIOutcome.scanElapsed adds the running one).
    var finishedScanTime: Duration = .zero
    var scansRun = 0
    /// The scan id a new target range started with: host news and results of older scans are about
    /// hosts no longer asked for, and stay off the screen.
    var rangeEpoch = 0
    /// Which scan filled each technique's board: a replaced run's late results stay off the new
    /// run's counts.
    var boardRuns: [Technique: Int] = [:]
    /// Names for ports on screen: the CLI's database (built-in table, nmap-services, /etc/services),
    /// read once before the TUI starts so drawing never touches a file.
    var services = ServiceNames.builtIn
    /// The host list as last made (`listedHosts`), kept while nothing it is made from changes.
    let hostListing = HostListingCache()

    init(request: ScanRequest, size: ScreenSize) {
        self.request = request
        self.size = size
        scan = ScanStatus(id: 0, requested: request.technique)
    }

    var layout: Layout { Layout(size, panels: panelsShown, names: hosts.hasNames) }

    /// The open-ports and log panels: shown by default where they fit without squeezing the grid,
    /// toggled with L anywhere.
    var panelsShown: Bool { view.panels ?? Layout.panelsFit(size) }

    /// Time spent scanning in this session: the finished scans plus the one running.
    var scanElapsed: Duration? {
        guard scansRun > 0 else { return nil }
        let running: Duration = scan.summary == nil ? (scan.progress?.elapsed ?? .zero) : .zero
        return finishedScanTime + running
    }

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

    /// Hosts in the list, after the filter (a state filter keeps hosts with a port in those
    /// states) and the search, in the chosen order; made again only when its inputs change.
    var listedHosts: [IPAddress] {
        let boardsMatter = !view.filter.states.isEmpty || view.sort == .open
        let key = HostListingKey(hosts: hosts.revision, boards: boardsMatter ? shownBoards.map(\.revision) : [],
                                 filter: view.filter, search: view.hostSearch, sort: view.sort)
        return hostListing.listed(key) { makeListedHosts() }
    }

    private func makeListedHosts() -> [IPAddress] {
        var listed = hosts.listed
        if !view.filter.states.isEmpty {
            let boards = shownBoards
            listed = listed.filter { host in
                boards.contains { board in
                    let counts = board.counts(of: host)
                    return view.filter.states.contains { counts[$0] > 0 }
                }
            }
        }
        if !view.hostSearch.isEmpty {
            let search = HostSearch(view.hostSearch)
            let named = hosts.hasNames
            listed = listed.filter { host in search.matches(host, name: named ? hosts[host]?.displayName : nil) }
        }
        // Sorted by a key computed once per host, ties kept in address order.
        func sorted<Key: Comparable>(by key: (IPAddress) -> Key) -> [IPAddress] {
            let keys = listed.map(key)
            return listed.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }.map { listed[$0] }
        }
        switch view.sort {
        case .address:
            return listed
        case .open:
            let boards = shownBoards
            let open = CellState(.open)
            return sorted { host in -boards.reduce(0) { $0 + $1.counts(of: host)[open] } }
        case .rtt:
            // From the store's cells: a HostResult a host (names looked up) was most of this sort's time.
            return sorted { host in hosts.rttNanoseconds(of: host) ?? .max }
        }
    }

    /// Where `host` is in `listed` (which is in this state's order), if it is there.
    func index(of host: IPAddress, in listed: [IPAddress]) -> Int? {
        if view.sort == .address {
            let index = HostDirectory.insertionPoint(of: host, in: listed)
            return index < listed.count && listed[index] == host ? index : nil
        }
        return listed.firstIndex(of: host)
    }

    /// The highlighted host: the chosen one while it is listed, else the first listed.
    var selectedHost: IPAddress? {
        let listed = listedHosts
        if let chosen = view.selectedHost, index(of: chosen, in: listed) != nil { return chosen }
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

enum Pane: Hashable, Sendable { case hosts, grid, log }

/// The host list's order (o cycles it).
enum HostSort: String, Hashable, Sendable, CaseIterable {
    case address, open = "open ports", rtt = "RTT"
}

/// The detail of one host over the panes: which host, the first row on screen, and the port row
/// Enter opens (an index among the detail's port rows).
struct HostDetailState: Hashable, Sendable {
    var host: IPAddress
    var top = 0
    var selected = 0
}

/// The detail of one port over the panes: which port, as found by which technique, and the first row.
struct PortDetailState: Hashable, Sendable {
    var key: ServiceKey
    var technique: Technique
    var top = 0
}
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
    var sort = HostSort.address
    /// Narrows the host list to addresses or names containing it (/ in the host pane).
    var hostSearch = ""
    /// nil: the panels show where they fit (Layout.panelsFit); L sets it either way.
    var panels: Bool?
    /// Log lines scrolled back from the newest; 0 follows new entries.
    var logBack = 0
}

struct FooterMessage: Hashable, Sendable {
    var level: Notice.Level
    var text: String
}
