import PortgridCore

/// The detail line: what is under the cursor, in words.
enum Detail {
    static func text(_ state: AppState, _ layout: Layout) -> String {
        guard let host = state.selectedHost else { return "" }
        if state.view.focus != .grid { return hostText(state, host) }
        if state.view.mode == .list {
            let entries = PortListing.entries(state)
            guard !entries.isEmpty else { return hostText(state, host) }
            return portText([entries[min(state.view.listCursor, entries.count - 1)]], host: host, state)
        }
        let source = state.gridSource(for: host)
        guard !source.isEmpty else { return hostText(state, host) }
        let domain = state.view.zoom.last ?? 0..<source.ports.count
        let buckets = GridBuckets(count: domain.count, capacity: layout.gridCapacity)
        let cell = buckets.cell(ofOffset: state.view.cursor - domain.lowerBound)
        let range = buckets.range(ofCell: cell)
        let positions = (domain.lowerBound + range.lowerBound)..<(domain.lowerBound + range.upperBound)
        if positions.count == 1 { return portText(source.details(at: positions.lowerBound), host: host, state) }
        return bucketText(source, positions, state.services)
    }

    static func hostText(_ state: AppState, _ host: IPAddress) -> String {
        let info = state.hosts[host]
        var text = "\(host)"
        if let name = info?.displayName { text += " (\(name))" }
        text += " \(info?.status.rawValue ?? "unknown")"
        if let reason = info?.reason { text += ", \(reason)" }
        if let rtt = info?.rtt { text += ", rtt \(Format.rtt(rtt))" }
        // After a ping sweep alone there are no ports to speak of.
        let boards = state.shownBoards.filter(\.plan.technique.scansPorts)
        guard !boards.isEmpty else { return text }
        let counts = boards.reduce(StateCounts()) { $0 + $1.counts(of: host) }
        text += " · " + summary(counts)
        return text
    }

    static func portText(_ details: [PortDetail], host: IPAddress, _ state: AppState) -> String {
        guard let first = details.first else { return "" }
        let service = state.serviceName(host, first.proto, first.port) ?? "unknown"
        var text = "\(host) port \(first.port) \(service)"
        // What -sV learned leads: it is what the person looks for on an open port.
        if case .learned(let identity) = state.detectionProgress(host, first.proto, first.port), !identity.versionLine.isEmpty {
            text += " " + SafeText.printable(identity.versionLine)
        }
        text += ": "
        text += details.map { detail in
            var part = "\(detail.proto.rawValue) \(detail.state.portState?.rawValue ?? "pending")"
            if let reason = detail.reason { part += " (\(reason))" }
            part += " by \(detail.technique.title)"
            if let rtt = detail.rtt { part += ", rtt \(Format.rtt(rtt))" }
            return part
        }.joined(separator: " · ")
        return text
    }

    static func bucketText(_ source: GridSource, _ positions: Range<Int>, _ services: ServiceNames) -> String {
        let states = source.states(in: positions)
        var counts = StateCounts()
        var open: [UInt16] = []
        for (offset, state) in states.enumerated() {
            counts[state] += 1
            if state == CellState(.open) && open.count < 6 { open.append(source.ports[positions.lowerBound + offset]) }
        }
        var text = "ports \(source.ports[positions.lowerBound])-\(source.ports[positions.upperBound - 1]) (\(positions.count)): "
        text += summary(counts)
        if !open.isEmpty {
            let proto = source.techniques.first?.transport ?? .tcp
            text += " · open " + open.map { port in
                services.name(port: port, proto: proto).map { "\(port)/\($0)" } ?? "\(port)"
            }.joined(separator: " ")
        }
        return text + " · z zooms in"
    }

    static func summary(_ counts: StateCounts) -> String {
        let parts = CellState.all.reversed().compactMap { state -> String? in
            counts[state] > 0 ? "\(counts[state]) \(state.portState?.rawValue ?? "pending")" : nil
        }
        return parts.isEmpty ? "no ports" : parts.joined(separator: ", ")
    }
}
