import PortgridCore

extension Reducer {
    /// Open ports of a batch go to the prober the moment they are found (with -sV on), each once;
    /// found while detection is off, they wait for V.
    static func detectOpen(_ event: ScanEvent, scan id: Int, _ state: inout AppState) -> [Effect] {
        guard case .results(let batch) = event, id >= state.rangeEpoch, var detection = state.detection else { return [] }
        var orders: [ServiceProbeOrder] = []
        for result in batch where result.state == .open {
            let key = ServiceKey(host: result.host, proto: result.proto, port: result.port)
            guard detection.progress(key) == .notProbed else { continue }
            if detection.enabled {
                detection.probing[key] = result.rtt
                orders.append(ServiceProbeOrder(key: key, rtt: result.rtt))
            } else {
                detection.waiting[key] = result.rtt
            }
        }
        state.detection = detection
        return orders.isEmpty ? [] : [.probeServices(orders)]
    }

    /// An identity learned: shown beside the port, logged as nmap's verbose output says it.
    static func learn(_ key: ServiceKey, _ identity: ServiceIdentity, _ state: inout AppState) {
        guard var detection = state.detection else { return }
        detection.learned[key] = identity
        detection.probing[key] = nil
        detection.waiting[key] = nil
        state.detection = detection
        var text = "\(key.port)/\(key.proto.rawValue) on \(key.host): \(identity.displayName)"
        if !identity.versionLine.isEmpty { text += " " + identity.versionLine }
        state.log.add(.found, SafeText.printable(text), at: state.now)
    }

    /// V: off stops new probes (ports in progress are dropped and wait with the rest); on probes every
    /// open port not learned yet.
    static func toggleDetection(_ state: inout AppState) -> [Effect] {
        guard var detection = state.detection else {
            say(.error, "service detection is off for this run: start portgrid with -sV", &state)
            return []
        }
        detection.enabled.toggle()
        defer { state.detection = detection }
        if !detection.enabled {
            let stopped = detection.probing.count
            detection.waiting.merge(detection.probing) { first, _ in first }
            detection.probing = [:]
            change("service detection off" + (stopped > 0 ? ": \(stopped) probes stopped" : "") + " (V resumes)", &state)
            return [.stopServiceProbes]
        }
        let orders = detection.waiting.map { ServiceProbeOrder(key: $0.key, rtt: $0.value) }
            .sorted { ($0.key.host, $0.key.proto.rawValue, $0.key.port) < ($1.key.host, $1.key.proto.rawValue, $1.key.port) }
        detection.probing.merge(detection.waiting) { first, _ in first }
        detection.waiting = [:]
        change("service detection on" + (orders.isEmpty ? "" : ": probing \(orders.count) open ports not yet probed"), &state)
        return orders.isEmpty ? [] : [.probeServices(orders)]
    }
}
