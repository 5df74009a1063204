import PortgridCore

/// What a key asks for. The reducer acts on commands, never on raw keys, and the help overlay and
/// the footer are drawn from the same table that maps keys to commands (bubbles' `key.Binding`),
/// so a key can never be handled but undocumented, or documented but dead.
enum Command: Hashable, Sendable {
    case quit, help, technique(Technique), timing, editTiming, raiseRate, lowerRate
    case editTargets, editPorts, filterPorts, searchHosts, export, pause, rescan
    case nextPane, toggleView, cycleShown, zoomIn, zoomOut, escape
    case move, openHost, openPort, sortHosts, togglePanels, toggleDetection
    case scrollHelp, closeHelp, scrollDetail, closeDetail, scrollPort, closePort

    /// Commands that start, stop or change a scan: refused, with a line saying so, when the session
    /// only views stored reports.
    var altersScan: Bool {
        switch self {
        case .technique, .timing, .editTiming, .raiseRate, .lowerRate, .editTargets, .editPorts, .pause, .rescan, .toggleDetection:
            true
        default:
            false
        }
    }
}

/// Where a key works: the focused pane, or the overlay on top.
enum KeyContext: Hashable, Sendable, CaseIterable {
    case hosts, grid, list, log, help, detail, port

    static let panes: Set<KeyContext> = [.hosts, .grid, .list, .log]
}

/// A heading of the help overlay.
enum HelpSection: String, Sendable, CaseIterable {
    case technique = "Technique (restarts the scan)"
    case timing = "Timing (applied to the running scan)"
    case range = "Range"
    case view = "View"
    case hosts = "Host list (Tab to it)"
    case general = "General"
    case overlay = "In this help and the host and port details"
}

/// When a binding is worth a place in the footer.
enum FooterWhen: Hashable, Sendable {
    case never, always, running, stopped, zoomed, filtered, panelsHidden, detecting

    func holds(_ state: AppState) -> Bool {
        switch self {
        case .never: false
        case .always: true
        case .running: state.scan.isRunning
        case .stopped: !state.scan.isRunning
        case .zoomed: !state.view.zoom.isEmpty
        case .filtered: !state.view.filter.isEmpty || !state.view.hostSearch.isEmpty
        case .panelsHidden: !state.panelsShown
        case .detecting: state.detection != nil
        }
    }
}

struct KeyBinding: Sendable {
    let keys: [Key]
    /// How help and footer name the keys ("s", "arrows hjkl").
    let label: String
    let command: Command
    let help: String
    /// The footer's short word, and when the footer shows it.
    let footer: String
    let footerWhen: FooterWhen
    let contexts: Set<KeyContext>
    let section: HelpSection

    init(_ keys: [Key], _ label: String, _ command: Command, _ help: String, footer: String = "",
         when footerWhen: FooterWhen = .never, in contexts: Set<KeyContext> = KeyContext.panes, _ section: HelpSection) {
        self.keys = keys
        self.label = label
        self.command = command
        self.help = help
        self.footer = footer
        self.footerWhen = footer.isEmpty ? .never : footerWhen
        self.contexts = contexts
        self.section = section
    }
}

enum KeyTable {
    /// The one place a technique gets its letter (nmap's flag letters, `t` for connect).
    static let techniqueKeys: [(Technique, Character)] = [
        (.syn, "s"), (.connect, "t"), (.udp, "u"), (.fin, "f"), (.null, "n"), (.xmas, "x"), (.ack, "a"), (.ping, "p"),
    ]

    static func key(of technique: Technique) -> Character {
        techniqueKeys.first { $0.0 == technique }!.1
    }

    private static let movement: [Key] = [.up, .down, .left, .right, .char("k"), .char("j"), .char("h"), .char("l"),
                                          .pageUp, .pageDown, .home, .end, .char("g"), .char("G")]
    private static let overlays: Set<KeyContext> = [.help, .detail, .port]
    private static let scrolling: [Key] = [.up, .down, .pageUp, .pageDown, .home, .end, .char("k"), .char("j"),
                                           .char("g"), .char("G")]

    /// Every key of the app, in the order help and footer list them. Earlier bindings win when two
    /// could match in the same context.
    static let bindings: [KeyBinding] = [
        KeyBinding([.char("q")], "q", .quit, "quit: the results table is printed", footer: "quit", when: .always, .general),
        KeyBinding([.char("?")], "?", .help, "this help", footer: "help", when: .always, .general),
        KeyBinding([.char(" ")], "Space", .pause, "pause / resume the scan", footer: "pause", when: .running, .timing),
        KeyBinding([.char("R")], "R", .rescan, "rescan: run the current technique again", footer: "rescan", when: .stopped, .range),
        KeyBinding([.enter], "Enter", .openHost, "open the selected host: all its ports, states, reasons, RTT",
                   footer: "host detail", when: .always, in: [.hosts, .grid], .view),
        KeyBinding([.enter], "Enter", .openPort, "open the port under the cursor: service, version, banner, certificate",
                   footer: "port detail", when: .always, in: [.list], .view),
        KeyBinding([.char("V")], "V", .toggleDetection,
                   "service detection (-sV) on / off: off stops new probes, on probes the open ports missed",
                   footer: "-sV", when: .detecting, .general),
        // Early, so a narrow screen's footer still says where the open ports and the log are.
        KeyBinding([.char("L")], "L", .togglePanels, "show / hide the open-ports and log panels",
                   footer: "open ports+log", when: .panelsHidden, .view),
        KeyBinding([.escape], "Esc", .escape, "zoom out, clear the filter or search, drop the message",
                   footer: "clear", when: .filtered, .view),
        KeyBinding([.char("Z")], "Z", .zoomOut, "zoom out one level", footer: "zoom out", when: .zoomed, in: [.grid], .view),
    ] + techniqueKeys.map { technique, letter in
        KeyBinding([.char(letter)], String(letter), .technique(technique),
                   "\(technique.title) (\(technique.flag))" + (technique == .ping ? ": hosts only" : ""),
                   footer: "technique", when: .always, .technique)
    } + [
        KeyBinding((0...5).map { Key.char(Character("\($0)")) }, "0-5", .timing,
                   "timing template T0 paranoid ... T5 insane", footer: "timing", when: .always, .timing),
        KeyBinding([.char("T")], "T", .editTiming,
                   "edit timing flags: --min-rate, RTT timeouts, parallelism",
                   footer: "timing", when: .always, .timing),
        KeyBinding([.char("+"), .char("=")], "+", .raiseRate, "raise the max rate (past the top: no cap)",
                   footer: "rate", when: .always, .timing),
        KeyBinding([.char("-"), .char("_")], "-", .lowerRate, "lower the max rate", footer: "rate", when: .always, .timing),
        KeyBinding([.char("r")], "r", .editTargets, "edit targets: a new range replaces the host list",
                   footer: "targets", when: .always, .range),
        KeyBinding([.char("P")], "P", .editPorts, "edit ports (Enter apply, Esc cancel, Ctrl-U clear)",
                   footer: "ports", when: .always, .range),
        KeyBinding([.tab, .backTab], "Tab", .nextPane, "next pane: hosts, ports, log", footer: "pane", when: .always, .view),
        KeyBinding(movement, "arrows hjkl", .move, "move; PgUp PgDn page; g G (Home End) first / last",
                   in: KeyContext.panes, .view),
        // Documents the mouse beside the keys; no key reaches it (its key list is empty).
        KeyBinding([], "mouse", .move, "click selects a host or a cell, the wheel scrolls", in: [], .view),
        KeyBinding([.char("v")], "v", .toggleView, "port grid / open-ports list", footer: "list", when: .always, .view),
        KeyBinding([.char("z")], "z", .zoomIn, "zoom into the cell under the cursor", footer: "zoom", when: .always,
                   in: [.grid], .view),
        KeyBinding([.char("/")], "/", .filterPorts, "filter ports: open, closed, filtered, a port or a service",
                   footer: "filter", when: .always, in: [.grid, .list, .log], .view),
        KeyBinding([.char("c")], "c", .cycleShown, "cycle results shown: current, other techniques, all",
                   footer: "cycle results", when: .always, .view),
        KeyBinding([.char("/")], "/", .searchHosts, "search hosts by address or name", footer: "search",
                   when: .always, in: [.hosts], .hosts),
        KeyBinding([.char("o")], "o", .sortHosts, "sort hosts: address, open ports, RTT", footer: "sort",
                   when: .always, .hosts),
        KeyBinding([.char("e")], "e", .export, "export now (format from the file's extension)", footer: "export",
                   when: .always, .general),
        KeyBinding(scrolling, "arrows PgUp PgDn", .scrollHelp, "scroll", in: [.help], .overlay),
        KeyBinding(scrolling, "arrows PgUp PgDn", .scrollDetail, "host detail: choose a port", in: [.detail], .overlay),
        KeyBinding([.enter], "Enter", .openPort, "host detail: open the chosen port (service, banner, certificate)",
                   in: [.detail], .overlay),
        KeyBinding(scrolling, "arrows PgUp PgDn", .scrollPort, "port detail: scroll", in: [.port], .overlay),
        KeyBinding([.escape, .char("?"), .char("q")], "Esc ? q", .closeHelp, "close the help", in: [.help], .overlay),
        KeyBinding([.escape, .char("q")], "Esc q", .closeDetail, "close the host detail", in: [.detail], .overlay),
        KeyBinding([.escape, .enter, .char("q")], "Esc Enter q", .closePort, "close the port detail", in: [.port], .overlay),
    ]

    /// The binding a key has in a context, if any.
    static func binding(for key: Key, in context: KeyContext) -> KeyBinding? {
        bindings.first { $0.contexts.contains(context) && $0.keys.contains(key) }
    }

    /// The footer's hints for a state: bindings that work in its context and are worth showing now,
    /// in table order; bindings sharing a footer word are shown once with all their keys ("s t u").
    static func footer(_ state: AppState) -> [(keys: String, what: String)] {
        let context = state.keyContext
        var hints: [(keys: String, what: String)] = []
        for binding in bindings where binding.contexts.contains(context) && binding.footerWhen.holds(state)
            && !(state.viewing != nil && binding.command.altersScan) {
            var word = binding.footer
            if binding.command == .toggleView { word = state.view.mode == .grid ? "list" : "grid" }
            if binding.command == .pause { word = state.scan.paused ? "resume" : "pause" }
            if binding.command == .toggleDetection { word = state.detection?.enabled == true ? "-sV off" : "-sV on" }
            if let index = hints.firstIndex(where: { $0.what == word }) {
                hints[index].keys += " " + binding.label
            } else {
                hints.append((binding.label, word))
            }
        }
        return hints
    }

    /// The help overlay's lines: each section's heading, then its keys. Overlay-only keys last.
    /// `viewing` (stored reports, no scan) leaves out the keys that would change a scan: they are
    /// refused there, and help must not offer what the screen refuses.
    static func helpLines(viewing: Bool = false) -> [(keys: String, text: String)] {
        var lines: [(keys: String, text: String)] = []
        for section in HelpSection.allCases {
            let members = bindings.filter { $0.section == section && !(viewing && $0.command.altersScan) }
            guard !members.isEmpty else { continue }
            if !lines.isEmpty { lines.append(("", "")) }
            lines.append(("", section.rawValue))
            var seen: Set<String> = []
            for binding in members where seen.insert(binding.label + binding.help).inserted {
                lines.append((binding.label, binding.help))
            }
        }
        return lines
    }
}

extension AppState {
    /// Which bindings apply now: an overlay on top, else the focused pane.
    var keyContext: KeyContext {
        if showHelp { return .help }
        if portDetail != nil { return .port }
        if hostDetail != nil { return .detail }
        switch view.focus {
        case .hosts: return .hosts
        case .log: return .log
        case .grid: return view.mode == .list ? .list : .grid
        }
    }
}
