import PortgridCore
import ServiceProbes

/// The thin I/O loop of one port: asks the decider what to do, does it over a fresh connection with
/// bounded reads (bytes and time), and reports back what happened. Blocking: it runs on a pool thread.
struct PortProber {
    let database: ProbeDatabase
    let settings: DetectionSettings
    let tls: TLSContext?
    let pacer: ConnectPacer

    func identify(_ key: ServiceKey, rtt: Duration?, tableName: String?, cancelled: () -> Bool) -> ServiceIdentity {
        let settings = settings.forRoundTrip(rtt)
        var probing = ServiceProbing(database: database, port: key.port, transport: key.proto == .udp ? .udp : .tcp,
                                     settings: settings, tableName: tableName)
        let portDeadline = ContinuousClock.now + settings.portBudget
        while true {
            guard case .send(let order) = probing.next() else { break }
            if cancelled() || ContinuousClock.now >= portDeadline { probing.outOfTime(); continue }
            pacer.waitForTurn()
            let start = ContinuousClock.now
            let connection: ProbeConnection
            switch ProbeConnection.open(key, deadline: min(start + settings.connectTimeout, portDeadline)) {
            case .success(let opened): connection = opened
            case .failure: probing.connectFailed(); continue
            }
            if order.tunnel {
                guard let tls else { probing.tlsFailed(); continue }
                do throws(ProbeIOError) {
                    probing.tlsEstablished(try connection.startTLS(tls, until: min(start + settings.connectTimeout, portDeadline)))
                } catch { probing.tlsFailed(); continue }
            }
            let waitDeadline = min(start + order.wait, portDeadline)
            if !order.payload.isEmpty && !connection.send(order.payload, until: waitDeadline) {
                probing.ended(closedByPeer: true, after: ContinuousClock.now - start)
                continue
            }
            var closed = false
            var lastData: ContinuousClock.Instant?
            reading: while true {
                let until = lastData.map { min(waitDeadline, $0 + settings.quietGap) } ?? waitDeadline
                switch connection.receive(limit: 4096, until: until) {
                case .data(let bytes):
                    lastData = .now
                    if probing.received(bytes) { break reading }
                case .closed:
                    closed = true
                    break reading
                case .timedOut:
                    break reading
                }
            }
            probing.ended(closedByPeer: closed, after: ContinuousClock.now - start)
        }
        return probing.identity()
    }
}
