/// A rectangle of cells: x, y of the top-left corner, width, height.
struct Rect: Hashable, Sendable {
    var x: Int, y: Int, width: Int, height: Int

    var maxX: Int { x + width }
    var maxY: Int { y + height }

    func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}

struct ScreenSize: Hashable, Sendable {
    var cols: Int
    var rows: Int

    init(cols: Int, rows: Int) {
        self.cols = max(0, cols)
        self.rows = max(0, rows)
    }
}

/// Where everything goes for a screen size: pure arithmetic shared by the renderer (to draw) and
/// the reducer (to move the cursor a row or a page, to hit-test a click), so both always agree.
///
///     header (3 rows)
///     ┌─ Hosts ───┬─ Ports ───────┐
///     │ hosts     │ grid / list   │
///     ├─ Open ────┼─ Log ─────────┤   <- the panels, where they fit or when L asks
///     │ open ports│ event log     │
///     └───────────┴───────────────┘
///     legend, detail, footer
struct Layout: Hashable, Sendable {
    static let minimum = ScreenSize(cols: 60, rows: 14)
    /// "65535 " in front of each grid row.
    static let labelWidth = 6

    let size: ScreenSize
    let header: Rect
    /// The frame around the panes, borders included.
    let box: Rect
    let hosts: Rect
    let grid: Rect
    /// The selected host's open ports (under the hosts) and the event log (under the grid).
    let openPorts: Rect?
    let log: Rect?
    let legendRow: Int
    let detailRow: Int
    let footerRow: Int

    /// The panels show by default on a terminal that keeps a useful grid beside them.
    static func panelsFit(_ size: ScreenSize) -> Bool { size.cols >= 100 && size.rows >= 30 }

    /// `names`: some host has a name, so the host pane takes more of a wide screen to show it.
    init(_ size: ScreenSize, panels: Bool = false, names: Bool = false) {
        self.size = size
        let w = size.cols, h = size.rows
        header = Rect(x: 0, y: 0, width: w, height: 3)
        box = Rect(x: 0, y: 3, width: w, height: max(0, h - 6))
        // The host pane takes what its columns need, and no more than a third of a small screen.
        let hostWidth = w < 80 ? max(22, w * 2 / 5)
            : names && w >= 100 ? min(60, w * 2 / 5) : min(46, max(34, w * 3 / 10))
        let inner = max(0, h - 8)
        let band = panels ? max(3, inner / 3) : 0
        let top = panels ? max(1, inner - band - 1) : inner
        hosts = Rect(x: 1, y: 4, width: hostWidth, height: top)
        grid = Rect(x: hostWidth + 2, y: 4, width: max(0, w - hostWidth - 3), height: top)
        if panels {
            let y = 4 + top + 1
            let height = max(0, inner - top - 1)
            openPorts = Rect(x: 1, y: y, width: hostWidth, height: height)
            log = Rect(x: hostWidth + 2, y: y, width: max(0, w - hostWidth - 3), height: height)
        } else {
            openPorts = nil
            log = nil
        }
        legendRow = h - 3
        detailRow = h - 2
        footerRow = h - 1
    }

    var isTooSmall: Bool { size.cols < Self.minimum.cols || size.rows < Self.minimum.rows }

    var cellsPerRow: Int { max(1, grid.width - Self.labelWidth) }
    var gridRows: Int { max(1, grid.height) }
    var gridCapacity: Int { cellsPerRow * gridRows }
    /// Rows of hosts or of the port list under their column headings.
    var hostRows: Int { max(1, hosts.height - 1) }
    var listRows: Int { max(1, grid.height - 1) }
    var logRows: Int { max(1, log?.height ?? 1) }
}
