import PortgridCore

/// The rows of the open-ports list for the selected host: the listed states (open-ish by
/// default, or the filter's), each technique's finding on its own row, in port order.
enum PortListing {
    static func entries(_ state: AppState) -> [PortDetail] {
        guard let host = state.selectedHost else { return [] }
        let filter = state.view.filter
        let wanted = filter.listedStates
        var rows: [PortDetail] = []
        for board in state.shownBoards where board.plan.technique.scansPorts {
            guard let ports = board.ports(of: host) else { continue }
            let proto = board.plan.technique.transport
            for index in ports.positions(in: wanted) {
                let port = board.plan.ports[index]
                let cell = ports.state(at: index)
                guard filter.matches(port: port, service: state.services.name(port: port, proto: proto)) else { continue }
                rows.append(PortDetail(port: port, technique: board.plan.technique, state: cell,
                                       reason: ports.reason(at: index), rtt: ports.rtt(at: index)))
            }
        }
        return rows.sorted { ($0.proto, $0.port, $0.technique) < ($1.proto, $1.port, $1.technique) }
    }
}
