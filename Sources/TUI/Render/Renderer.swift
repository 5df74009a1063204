import PortgridCore

/// Draws an AppState onto a Screen. Pure with respect to the state: the same state and size
/// always give the same cells, which is what the snapshot tests compare.
enum Renderer {
    static func render(_ state: AppState, on screen: inout some Screen) {
        screen.clear()
        let layout = Layout(screen.size)
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
        StatusLines.draw(state, layout, glyphs, &screen)
        if state.showHelp { HelpOverlay.draw(layout, glyphs, &screen) }
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

    /// The frame around both panes, with each pane's title set into the top border.
    static func drawBox(_ state: AppState, _ layout: Layout, _ g: Glyphs, _ screen: inout some Screen) {
        let top = layout.box.y, bottom = layout.box.maxY - 1
        let divider = layout.hosts.maxX
        let border = Style(.border)
        for x in 0..<layout.size.cols {
            screen.put(Cell(glyph: g.horizontal, style: border), x: x, y: top)
            screen.put(Cell(glyph: g.horizontal, style: border), x: x, y: bottom)
        }
        for y in (top + 1)..<bottom {
            screen.put(Cell(glyph: g.vertical, style: border), x: 0, y: y)
            screen.put(Cell(glyph: g.vertical, style: border), x: divider, y: y)
            screen.put(Cell(glyph: g.vertical, style: border), x: layout.size.cols - 1, y: y)
        }
        screen.put(Cell(glyph: g.topLeft, style: border), x: 0, y: top)
        screen.put(Cell(glyph: g.teeDown, style: border), x: divider, y: top)
        screen.put(Cell(glyph: g.topRight, style: border), x: layout.size.cols - 1, y: top)
        screen.put(Cell(glyph: g.bottomLeft, style: border), x: 0, y: bottom)
        screen.put(Cell(glyph: g.teeUp, style: border), x: divider, y: bottom)
        screen.put(Cell(glyph: g.bottomRight, style: border), x: layout.size.cols - 1, y: bottom)

        let hostTitle = " Hosts \(state.listedHosts.count) "
        screen.put(hostTitle, x: 2, y: top, style: titleStyle(state.view.focus == .hosts), width: layout.hosts.width - 2)
        screen.put(PortGridView.title(state, layout), x: divider + 2, y: top,
                   style: titleStyle(state.view.focus == .grid), width: layout.grid.width - 2)
    }

    static func titleStyle(_ focused: Bool) -> Style {
        focused ? Style(.focus, bold: true, reverse: true) : Style(.title, bold: true)
    }
}
