import PortgridCore

extension Reducer {
    static func handleKey(_ key: Key, _ state: inout AppState) -> [Effect] {
        if key == .ctrl("c") {
            if !state.quitting { state.interruptedByKey = true }
            return quit(&state)
        }
        if state.input != nil { return handleInput(key, &state) }
        let context = state.keyContext
        guard let binding = KeyTable.binding(for: key, in: context) else {
            // In an overlay every other key closes it, so a stray key there never acts behind it.
            if context == .help { state.showHelp = false }
            if context == .detail { state.hostDetail = nil }
            if context == .port { state.portDetail = nil }
            return []
        }
        if state.viewing != nil && binding.command.altersScan {
            say(.warning, refusal(binding.command, label: binding.label), &state)
            return []
        }
        if state.message?.level == .info { state.message = nil }
        return perform(binding.command, key: key, &state)
    }

    static func perform(_ command: Command, key: Key, _ state: inout AppState) -> [Effect] {
        switch command {
        case .quit: return quit(&state)
        case .help:
            state.showHelp = true
            state.helpTop = 0
        case .technique(let technique):
            return switchTechnique(to: technique, &state)
        case .timing:
            guard case .char(let c) = key, let level = c.wholeNumberValue, (0...5).contains(level) else { return [] }
            state.request.timing = state.request.timing.switching(to: level)
            change("timing T\(level) \(state.request.timing.name), " + timingTakesEffect(state), &state)
            return [.setTiming(state.request.timing)]
        case .editTiming:
            state.input = InputLine(.timing, text: TimingFlags(describing: state.request.timing).line)
        case .raiseRate:
            return setMaxRate(RateSteps.raise(state.request.timing.maxRate), &state)
        case .lowerRate:
            return setMaxRate(RateSteps.lower(state.request.timing.maxRate, measured: state.scan.progress?.rate), &state)
        case .editTargets:
            state.input = InputLine(.targets, text: state.request.targets.description)
        case .editPorts:
            state.input = InputLine(.ports, text: state.request.ports.description)
        case .filterPorts:
            state.input = InputLine(.filter, text: state.view.filter.text)
        case .searchHosts:
            state.input = InputLine(.search, text: state.view.hostSearch)
        case .export:
            state.input = InputLine(.export, text: "portgrid.xml")
        case .pause:
            guard state.scan.isRunning else { return [] }
            state.scan.paused.toggle()
            say(.info, state.scan.paused ? "paused: Space resumes" : "resumed", &state)
            state.log.add(.change, state.scan.paused ? "scan paused" : "scan resumed", at: state.now)
            return [.setPaused(state.scan.paused)]
        case .rescan:
            state.log.add(.change, "rescan with \(state.request.technique.title)", at: state.now)
            return restartScan(&state)
        case .openHost:
            guard let host = state.selectedHost else {
                say(.info, "no host to open yet", &state)
                return []
            }
            state.hostDetail = HostDetailState(host: host)
        case .openPort:
            openPort(&state)
        case .toggleDetection:
            return toggleDetection(&state)
        case .scrollPort:
            guard var detail = state.portDetail else { return [] }
            detail.top = scrolled(detail.top, key, page: PortDetailView.visibleRows(state.layout),
                                  count: PortDetailView.rows(state, detail, width: PortDetailView.textWidth(state.layout)).count)
            state.portDetail = detail
        case .closePort:
            state.portDetail = nil
        case .nextPane:
            let order: [Pane] = state.panelsShown ? [.hosts, .grid, .log] : [.hosts, .grid]
            let index = order.firstIndex(of: state.view.focus) ?? 0
            let step = key == .backTab ? order.count - 1 : 1
            state.view.focus = order[(index + step) % order.count]
        case .toggleView:
            state.view.mode = state.view.mode == .grid ? .list : .grid
        case .togglePanels:
            state.view.panels = !state.panelsShown
            if !state.panelsShown && state.view.focus == .log { state.view.focus = .grid }
            say(.info, state.panelsShown ? "open ports and log shown (L hides them)" : "open ports and log hidden (L shows them)", &state)
        case .cycleShown:
            cycleShown(&state)
        case .zoomIn:
            zoomIn(&state)
        case .zoomOut:
            if !state.view.zoom.isEmpty { state.view.zoom.removeLast() }
        case .sortHosts:
            let all = HostSort.allCases
            state.view.sort = all[((all.firstIndex(of: state.view.sort) ?? 0) + 1) % all.count]
            say(.info, "hosts sorted by \(state.view.sort.rawValue)", &state)
        case .escape:
            if !state.view.zoom.isEmpty { state.view.zoom.removeLast() }
            else if !state.view.filter.isEmpty { state.view.filter = .none }
            else if !state.view.hostSearch.isEmpty { state.view.hostSearch = "" }
            else { state.message = nil }
        case .move:
            move(key, &state)
        case .scrollHelp:
            let viewing = state.viewing != nil
            state.helpTop = scrolled(state.helpTop, key, page: HelpOverlay.visibleRows(state.layout, viewing: viewing),
                                     count: KeyTable.helpLines(viewing: viewing).count)
        case .closeHelp:
            state.showHelp = false
        case .scrollDetail:
            guard var detail = state.hostDetail else { return [] }
            moveInHostDetail(&detail, key, state)
            state.hostDetail = detail
        case .closeDetail:
            state.hostDetail = nil
        }
        return []
    }

    /// In a host's detail the keys choose a port (Enter opens it), the rows scrolling to keep it in
    /// sight; a detail without port rows just scrolls.
    static func moveInHostDetail(_ detail: inout HostDetailState, _ key: Key, _ state: AppState) {
        let rows = HostDetailView.rows(state, detail.host)
        let ports = HostDetailView.ports(rows)
        let page = HostDetailView.visibleRows(state.layout)
        guard !ports.isEmpty else {
            detail.top = scrolled(detail.top, key, page: page, count: rows.count)
            return
        }
        let current = min(detail.selected, ports.count - 1)
        let target = switch key {
        case .up, .char("k"): current - 1
        case .down, .char("j"): current + 1
        case .pageUp: current - max(1, page - 1)
        case .pageDown: current + max(1, page - 1)
        case .home, .char("g"): 0
        default: ports.count - 1
        }
        detail.selected = max(0, min(target, ports.count - 1))
        let chosen = ports[detail.selected]
        let first = rows.firstIndex { $0.port == chosen } ?? 0
        let last = rows.lastIndex { $0.port == chosen } ?? first
        if detail.selected == 0 { detail.top = 0 }
        if first < detail.top { detail.top = first }
        if last >= detail.top + page { detail.top = last - page + 1 }
    }

    /// Enter on a port: in the list, the row under the cursor; in a host's detail, the chosen port
    /// (a detail without ports closes, as Enter always did there).
    static func openPort(_ state: inout AppState) {
        if let detail = state.hostDetail {
            let ports = HostDetailView.ports(HostDetailView.rows(state, detail.host))
            guard !ports.isEmpty else {
                state.hostDetail = nil
                return
            }
            let chosen = ports[min(detail.selected, ports.count - 1)]
            state.portDetail = PortDetailState(key: ServiceKey(host: detail.host, proto: chosen.proto, port: chosen.port),
                                               technique: chosen.technique)
            return
        }
        let entries = PortListing.entries(state)
        guard let host = state.selectedHost, !entries.isEmpty else {
            say(.info, "no port to open here", &state)
            return
        }
        let entry = entries[min(state.view.listCursor, entries.count - 1)]
        state.portDetail = PortDetailState(key: ServiceKey(host: host, proto: entry.proto, port: entry.port),
                                           technique: entry.technique)
    }

    /// A scroll position moved by a key, kept within a list of `count` lines shown `page` at a time.
    static func scrolled(_ top: Int, _ key: Key, page: Int, count: Int) -> Int {
        let target = switch key {
        case .up, .char("k"): top - 1
        case .down, .char("j"): top + 1
        case .pageUp: top - max(1, page - 1)
        case .pageDown: top + max(1, page - 1)
        case .home, .char("g"): 0
        default: count
        }
        return max(0, min(target, count - page))
    }

    /// Records a change the person made: in the log, in the footer, and in the outcome's list.
    static func change(_ text: String, _ state: inout AppState) {
        say(.info, text, &state)
        state.log.add(.change, text, at: state.now)
        state.changes.append(text)
    }

    /// Where a timing change goes: into the scan that runs, or (once it ended) the next one, so the
    /// message never claims a change to a scan that is over.
    static func timingTakesEffect(_ state: AppState) -> String {
        state.scan.isRunning ? "applied to the running scan" : "for the next scan (R rescans)"
    }

    static func say(_ level: Notice.Level, _ text: String, _ state: inout AppState) {
        state.message = FooterMessage(level: level, text: text)
    }

    static func switchTechnique(to technique: Technique, _ state: inout AppState) -> [Effect] {
        if technique.scansPorts && state.request.ports.ports(for: technique.transport).isEmpty {
            say(.error, "no \(technique.transport.rawValue.uppercased()) ports in the port list: press P to add some", &state)
            return []
        }
        if technique == state.request.technique && state.scan.isRunning {
            say(.info, "already scanning with \(technique.title)", &state)
            return []
        }
        let from = state.request.technique
        state.request.technique = technique
        state.changes.append("technique \(from.title) (\(from.flag)) -> \(technique.title) (\(technique.flag))")
        state.log.add(.change, "technique \(technique.title) \(technique.flag)", at: state.now)
        state.view.shown = .current
        state.view.zoom = []
        state.view.listCursor = 0
        return restartScan(&state)
    }

    static func setMaxRate(_ rate: Double?, _ state: inout AppState) -> [Effect] {
        state.request.timing.maxRate = rate
        change("max rate \(rate.map { Format.rate($0) + "/s" } ?? "unlimited")", &state)
        return [.setMaxRate(rate)]
    }

    static func cycleShown(_ state: inout AppState) {
        let others = state.boards.keys.sorted().filter { $0 != state.currentTechnique && $0.scansPorts }
        var options: [ShownTechnique] = [.current] + others.map { .only($0) }
        if !others.isEmpty { options.append(.all) }
        let index = options.firstIndex(of: state.view.shown) ?? 0
        state.view.shown = options[(index + 1) % options.count]
        state.view.zoom = []
        state.view.listCursor = 0
        let label = switch state.view.shown {
        case .current: "showing the current technique"
        case .only(let t): "showing \(t.title) results"
        case .all: "showing all techniques (most interesting state per port)"
        }
        say(.info, label, &state)
    }

    /// The grid geometry the cursor moves on, for the state as it is.
    static func gridGeometry(_ state: AppState) -> (domain: Range<Int>, buckets: GridBuckets) {
        let count = GridSource(boards: state.shownBoards, host: nil).ports.count
        let domain = state.view.zoom.last ?? 0..<count
        return (domain, GridBuckets(count: domain.count, capacity: state.layout.gridCapacity))
    }

    static func zoomIn(_ state: inout AppState) {
        guard state.view.mode == .grid else { return }
        let (domain, buckets) = gridGeometry(state)
        guard buckets.size > 1 else {
            say(.info, "one port per cell already", &state)
            return
        }
        let cell = buckets.cell(ofOffset: state.view.cursor - domain.lowerBound)
        let range = buckets.range(ofCell: cell)
        state.view.zoom.append((domain.lowerBound + range.lowerBound)..<(domain.lowerBound + range.upperBound))
    }

    static func move(_ key: Key, _ state: inout AppState) {
        let layout = state.layout
        if state.view.focus == .hosts {
            let listed = state.listedHosts
            guard !listed.isEmpty else { return }
            let current = state.selectedHost.flatMap { state.index(of: $0, in: listed) } ?? 0
            let page = max(1, layout.hostRows - 1)
            let target: Int
            switch key {
            case .up, .char("k"): target = current - 1
            case .down, .char("j"): target = current + 1
            case .pageUp: target = current - page
            case .pageDown: target = current + page
            case .home, .char("g"): target = 0
            case .end, .char("G"): target = listed.count - 1
            case .right, .char("l"): state.view.focus = .grid; return
            default: return
            }
            let index = min(max(0, target), listed.count - 1)
            state.view.selectedHost = listed[index]
            if index < state.view.hostTop { state.view.hostTop = index }
            if index >= state.view.hostTop + layout.hostRows { state.view.hostTop = index - layout.hostRows + 1 }
            return
        }
        if state.view.focus == .log {
            let page = max(1, layout.logRows - 1)
            let back = state.view.logBack
            let target = switch key {
            case .up, .char("k"): back + 1
            case .down, .char("j"): back - 1
            case .pageUp: back + page
            case .pageDown: back - page
            case .home, .char("g"): state.log.count
            case .end, .char("G"): 0
            case .left, .char("h"), .right, .char("l"): back
            default: back
            }
            state.view.logBack = max(0, min(target, state.log.count - layout.logRows))
            return
        }
        if state.view.mode == .list {
            let count = PortListing.entries(state).count
            let page = max(1, layout.listRows - 1)
            var target = state.view.listCursor
            switch key {
            case .up, .char("k"): target -= 1
            case .down, .char("j"): target += 1
            case .pageUp: target -= page
            case .pageDown: target += page
            case .home, .char("g"): target = 0
            case .end, .char("G"): target = count - 1
            case .left, .char("h"): state.view.focus = .hosts; return
            default: return
            }
            state.view.listCursor = max(0, min(target, count - 1))
            if state.view.listCursor < state.view.listTop { state.view.listTop = state.view.listCursor }
            if state.view.listCursor >= state.view.listTop + layout.listRows {
                state.view.listTop = state.view.listCursor - layout.listRows + 1
            }
            return
        }
        let (domain, buckets) = gridGeometry(state)
        guard buckets.cells > 0 else { return }
        let perRow = layout.cellsPerRow
        let cell = buckets.cell(ofOffset: state.view.cursor - domain.lowerBound)
        var target = cell
        switch key {
        case .left, .char("h"):
            if cell % perRow == 0 { state.view.focus = .hosts; return }
            target = cell - 1
        case .right, .char("l"): target = cell + 1
        case .up, .char("k"): target = cell - perRow
        case .down, .char("j"): target = cell + perRow
        case .pageUp: target = cell - perRow * max(1, layout.gridRows / 2)
        case .pageDown: target = cell + perRow * max(1, layout.gridRows / 2)
        case .home: target = cell - cell % perRow
        case .end: target = min(buckets.cells - 1, cell - cell % perRow + perRow - 1)
        case .char("g"): target = 0
        case .char("G"): target = buckets.cells - 1
        default: return
        }
        // Up past the first row or down past the last stays put rather than jumping sideways.
        guard target >= 0 && target < buckets.cells || key == .pageUp || key == .pageDown else { return }
        target = min(max(0, target), buckets.cells - 1)
        state.view.cursor = domain.lowerBound + buckets.range(ofCell: target).lowerBound
    }

    static func handleInput(_ key: Key, _ state: inout AppState) -> [Effect] {
        guard var input = state.input else { return [] }
        switch input.handle(key) {
        case .editing:
            state.input = input
            return []
        case .cancelled:
            state.input = nil
            return []
        case .submitted(let text):
            return submit(text, input, &state)
        }
    }

    /// Applies what the input line holds; an invalid spec keeps the line open with the parser's
    /// message and changes nothing else.
    static func submit(_ text: String, _ input: InputLine, _ state: inout AppState) -> [Effect] {
        var input = input
        switch input.purpose {
        case .targets:
            do {
                let targets = try TargetSet(parsing: [text])
                state.input = nil
                let from = state.request.targets.description
                state.request.targets = targets
                return changeRange(from: from, &state)
            } catch {
                input.error = error.description
            }
        case .ports:
            do {
                let ports = try PortList(parsing: text)
                let technique = state.request.technique
                if technique.scansPorts && ports.ports(for: technique.transport).isEmpty {
                    input.error = "no \(technique.transport.rawValue.uppercased()) ports in '\(text)' for \(technique.flag)"
                } else {
                    state.input = nil
                    let from = state.request.ports.description
                    state.request.ports = ports
                    state.view.zoom = []
                    state.view.cursor = 0
                    state.view.listCursor = 0
                    change("ports \(from) -> \(ports.description)", &state)
                    return restartScan(&state)
                }
            } catch {
                input.error = error.description
            }
        case .timing:
            do {
                let flags = try TimingFlags(parsing: text)
                var timing = try flags.profile()
                // Host groups are set on the command line only; the line keeps them.
                timing.maxHostgroup = state.request.timing.maxHostgroup
                timing.minHostgroup = state.request.timing.minHostgroup
                try flags.check(for: state.request.technique)
                state.input = nil
                guard timing != state.request.timing else { return [] }
                state.request.timing = timing
                change("timing \(TimingFlags(describing: timing).line), " + timingTakesEffect(state), &state)
                return [.setTiming(timing)]
            } catch {
                input.error = error.description
            }
        case .search:
            state.input = nil
            state.view.hostSearch = text.trimmingCharacters(in: " ")
            state.view.hostTop = 0
            return []
        case .filter:
            state.input = nil
            state.view.filter = PortFilter(parsing: text)
            state.view.listCursor = 0
            state.view.listTop = 0
            return []
        case .export:
            let path = text.trimmingCharacters(in: " ")
            if path.isEmpty {
                input.error = "give a file name; its extension picks the format"
            } else {
                state.input = nil
                say(.info, "exporting to \(path)…", &state)
                return [.export(path: path)]
            }
        }
        state.input = input
        return []
    }
}
