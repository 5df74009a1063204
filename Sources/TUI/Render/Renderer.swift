import PortgridCore

/// Draws an AppState onto a Screen. Pure with respect to the state: the same state and size
/// always give the same cells, which is what the snapshot tests compare.
enum Renderer {
    static func render(_ state: AppState, on screen: inout some Screen) {
        screen.clear()
        let layout = Layout(screen.size, panels: state.panelsShown, names: state.hosts.hasNames)
        let glyphs = Glyphs.forScreen(screen)
        guard !layout.isTooSmall else {
            drawTooSmall(&screen)
            return
        }
        HeaderView.draw(state, layout, glyphs, &screen)
        drawBox(state, layout, glyphs, &screen)
        HostListView.draw(state, layout, glyphs, &screen)
        if state.view.mode == .list {
            PortListView.draw(state, layout, glyphs, &screen)
        } else {
            PortGridView.draw(state, layout, glyphs, &screen)
        }
        if let pane = layout.openPorts { OpenPortsView.draw(state, pane, &screen) }
        if let pane = layout.log { LogView.draw(state, pane, &screen) }
        StatusLines.draw(state, layout, glyphs, &screen)
        if let detail = state.hostDetail { HostDetailView.draw(state, detail, layout, glyphs, &screen) }
        if let detail = state.portDetail { PortDetailView.draw(state, detail, layout, glyphs, &screen) }
        if state.showHelp { HelpOverlay.draw(state, layout, glyphs, &screen) }
    }

    static func drawTooSmall(_ screen: inout some Screen) {
        let size = screen.size
        let lines = ["terminal too small",
                     "\(size.cols)x\(size.rows) < \(Layout.minimum.cols)x\(Layout.minimum.rows)",
                     "q quits"]
        let top = max(0, (size.rows - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (size.cols - line.count) / 2)
            screen.put(line, x: x, y: top + i, style: Style(i == 0 ? .warning : .dim, bold: i == 0))
        }
    }

    /// The frame around the panes, with each pane's title set into the border above it.
    static func drawBox(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let top = layout.box.y, bottom = layout.box.maxY - 1
        let divider = layout.hosts.maxX
        let right = layout.size.cols - 1
        let border = Style(.border)
        func line(_ y: Int, _ left: Character, _ middle: Character, _ end: Character) {
            for x in 0..<layout.size.cols { screen.put(Cell(glyph: g.horizontal, style: border), x: x, y: y) }
            screen.put(Cell(glyph: left, style: border), x: 0, y: y)
            screen.put(Cell(glyph: middle, style: border), x: divider, y: y)
            screen.put(Cell(glyph: end, style: border), x: right, y: y)
        }
        line(top, g.topLeft, g.teeDown, g.topRight)
        line(bottom, g.bottomLeft, g.teeUp, g.bottomRight)
        for y in (top + 1)..<max(top + 1, bottom) where y != layout.hosts.maxY || layout.log == nil {
            screen.put(Cell(glyph: g.vertical, style: border), x: 0, y: y)
            screen.put(Cell(glyph: g.vertical, style: border), x: divider, y: y)
            screen.put(Cell(glyph: g.vertical, style: border), x: right, y: y)
        }
        let hostTitle = " Hosts \(state.listedHosts.count)" + (state.view.sort == .address ? "" : " · by \(state.view.sort.rawValue)")
            + (state.view.hostSearch.isEmpty ? "" : " · '\(state.view.hostSearch)'") + " "
        screen.put(hostTitle, x: 2, y: top, style: titleStyle(state.view.focus == .hosts), width: layout.hosts.width - 2)
        screen.put(PortGridView.title(state, layout), x: divider + 2, y: top,
                   style: titleStyle(state.view.focus == .grid), width: layout.grid.width - 2)
        if let ports = layout.openPorts, let log = layout.log {
            let y = ports.y - 1
            line(y, g.teeRight, g.cross, g.teeLeft)
            screen.put(OpenPortsView.title(state), x: 2, y: y, style: titleStyle(false), width: ports.width - 2)
            screen.put(LogView.title(state), x: divider + 2, y: y, style: titleStyle(state.view.focus == .log),
                       width: log.width - 2)
        }
    }

    static func titleStyle(_ focused: Bool) -> Style {
        focused ? Style(.focus, bold: true, reverse: true) : Style(.title, bold: true)
    }
}
