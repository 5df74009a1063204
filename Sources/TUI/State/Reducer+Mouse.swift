/// The mouse, mapped onto the same moves the keys make: a click selects the host or the grid cell
/// under it (and focuses its pane), the wheel scrolls what it is over. Hit-tested on the Layout
/// the renderer draws with, so a click lands where the eye sees it.
extension Reducer {
    static func handleMouse(_ mouse: Mouse, _ state: inout AppState) -> [Effect] {
        guard state.input == nil else { return [] }
        let wheel: Key? = switch mouse.kind {
        case .wheelUp: .up
        case .wheelDown: .down
        case .click: nil
        }
        if state.showHelp || state.hostDetail != nil {
            if let wheel {
                for _ in 0..<3 { _ = handleKey(wheel, &state) }
            } else {
                state.showHelp = false
                state.hostDetail = nil
            }
            return []
        }
        let layout = state.layout
        if layout.hosts.contains(x: mouse.x, y: mouse.y) {
            state.view.focus = .hosts
            if let wheel { move(wheel, &state); return [] }
            let listed = state.listedHosts
            let index = HostListView.top(state, layout, listed) + mouse.y - layout.hosts.y - 1
            guard mouse.y > layout.hosts.y, index >= 0, index < listed.count else { return [] }
            state.view.selectedHost = listed[index]
        } else if layout.grid.contains(x: mouse.x, y: mouse.y) {
            state.view.focus = .grid
            if let wheel { move(wheel, &state); return [] }
            if state.view.mode == .list {
                let row = mouse.y - layout.grid.y - 1
                let count = PortListing.entries(state).count
                guard row >= 0, count > 0 else { return [] }
                state.view.listCursor = min(count - 1, PortListView.top(state, layout, count: count) + row)
                return []
            }
            let column = mouse.x - layout.grid.x - Layout.labelWidth
            let (domain, buckets) = gridGeometry(state)
            let cell = (mouse.y - layout.grid.y) * layout.cellsPerRow + column
            guard column >= 0, column < layout.cellsPerRow, cell < buckets.cells else { return [] }
            state.view.cursor = domain.lowerBound + buckets.range(ofCell: cell).lowerBound
        } else if let log = layout.log, log.contains(x: mouse.x, y: mouse.y) {
            state.view.focus = .log
            if let wheel { move(wheel, &state) }
        }
        return []
    }
}
