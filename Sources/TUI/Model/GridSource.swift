import PortgridCore

/// Which technique's results the grid and list show: the running scan's, one chosen, or the most
/// interesting state over all of them.
enum ShownTechnique: Hashable, Sendable {
    case current
    case only(Technique)
    case all
}

/// The ports the grid shows for one host and their states, for one ShownTechnique. For `.all`
/// the port set is the union of every technique's plan and a port's state is its most
/// interesting over the techniques.
struct GridSource: Sendable {
    let ports: PortSet
    let techniques: [Technique]
    private let boards: [TechniqueBoard]
    private let host: IPAddress?

    init(boards: [TechniqueBoard], host: IPAddress?) {
        self.boards = boards.filter { $0.plan.technique.scansPorts }
        self.host = host
        techniques = self.boards.map(\.plan.technique)
        if self.boards.count == 1 {
            ports = self.boards[0].plan.ports
        } else {
            ports = self.boards.reduce(PortSet()) { $0.union($1.plan.ports) }
        }
    }

    var isEmpty: Bool { ports.isEmpty }

    /// States for every port of the set, in port order.
    func states() -> [CellState] {
        guard let host else { return [CellState](repeating: .pending, count: ports.count) }
        if boards.count == 1 {
            guard let hostPorts = boards[0].ports(of: host) else {
                return [CellState](repeating: .pending, count: ports.count)
            }
            return hostPorts.cellStates()
        }
        var merged = [CellState](repeating: .pending, count: ports.count)
        for board in boards {
            guard let hostPorts = board.ports(of: host) else { continue }
            // Both sets are sorted, so one merge walk maps board positions to union positions.
            var unionIndex = 0
            var unionIterator = ports.makeIterator()
            var unionPort = unionIterator.next()
            for (boardIndex, port) in board.plan.ports.enumerated() {
                while let current = unionPort, current < port {
                    unionPort = unionIterator.next()
                    unionIndex += 1
                }
                let state = hostPorts.state(at: boardIndex)
                if state > merged[unionIndex] { merged[unionIndex] = state }
            }
        }
        return merged
    }

    /// States of the ports at `positions` only: the detail line asks for one cell's worth, and
    /// must not build all 65,535 again each frame.
    func states(in positions: Range<Int>) -> [CellState] {
        guard boards.count == 1, let host else { return Array(states()[positions]) }
        guard let hostPorts = boards[0].ports(of: host) else { return [CellState](repeating: .pending, count: positions.count) }
        return positions.map { hostPorts.state(at: $0) }
    }

    /// Every technique's finding for the port at `index` of the set, most interesting first.
    func details(at index: Int) -> [PortDetail] {
        guard let host, index >= 0, index < ports.count else { return [] }
        let port = ports[index]
        var details: [PortDetail] = []
        for board in boards {
            guard let boardIndex = board.plan.ports.index(of: port) else { continue }
            let hostPorts = board.ports(of: host)
            details.append(PortDetail(port: port, technique: board.plan.technique,
                                      state: hostPorts?.state(at: boardIndex) ?? .pending,
                                      reason: hostPorts?.reason(at: boardIndex),
                                      rtt: hostPorts?.rtt(at: boardIndex)))
        }
        return details.sorted { $0.state > $1.state }
    }
}

/// One port as one technique saw it.
struct PortDetail: Hashable, Sendable {
    let port: UInt16
    let technique: Technique
    let state: CellState
    let reason: Reason?
    let rtt: Duration?

    var proto: TransportProtocol { technique.transport }
}
