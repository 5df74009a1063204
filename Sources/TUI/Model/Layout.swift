/// A rectangle of cells: x, y of the top-left corner, width, height.
struct Rect: Hashable, Sendable {
    var x: Int, y: Int, width: Int, height: Int

    var maxX: Int { x + width }
    var maxY: Int { y + height }
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
/// the reducer (to move the cursor a row or a page), so both always agree.
struct Layout: Hashable, Sendable {
    static let minimum = ScreenSize(cols: 60, rows: 14)
    /// "65535 " in front of each grid row.
    static let labelWidth = 6

    let size: ScreenSize
    let header: Rect
    /// The frame around both panes, borders included.
    let box: Rect
    let hosts: Rect
    let grid: Rect
    let legendRow: Int
    let detailRow: Int
    let footerRow: Int

    init(_ size: ScreenSize) {
        self.size = size
        let w = size.cols, h = size.rows
        header = Rect(x: 0, y: 0, width: w, height: 3)
        box = Rect(x: 0, y: 3, width: w, height: max(0, h - 6))
        let hostWidth = min(46, max(30, w * 3 / 10))
        hosts = Rect(x: 1, y: 4, width: hostWidth, height: max(0, h - 8))
        grid = Rect(x: hostWidth + 2, y: 4, width: max(0, w - hostWidth - 3), height: max(0, h - 8))
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
}
