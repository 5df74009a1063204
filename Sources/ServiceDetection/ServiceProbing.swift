import PortgridCore
import ServiceProbes

/// The pure decider of one port's version detection, in nmap's order: the NULL probe (TCP: connect and
/// wait for a banner), then the probes whose `ports` (or, inside TLS, `sslports`) name the port, then the
/// others whose rarity is within the intensity; after a soft match only probes that could name that service.
/// An `ssl` answer restarts the sequence inside a TLS tunnel. The I/O loop asks `next()`, performs it,
/// and feeds back what happened; nothing here touches a socket or a clock.
public struct ServiceProbing: Sendable {
    /// One probe to perform: open a connection (through TLS when `tunnel`), send `payload`, read.
    public struct Order: Sendable, Equatable {
        public var probe: Int
        public var name: String
        public var payload: [UInt8]
        public var tunnel: Bool
        /// Longest wait for the answer.
        public var wait: Duration
        /// For the NULL probe: a close without a byte sooner than this means tcpwrapped.
        public var tcpWrapped: Duration?
    }

    public enum Step: Sendable, Equatable {
        case send(Order)
        case done(ServiceIdentity)
    }

    private enum Phase: Sendable, Equatable {
        case null
        case probable(next: Int)
        case improbable(next: Int)
        case finished
    }

    public let database: ProbeDatabase
    public let port: UInt16
    public let transport: ProbeTransport
    public let settings: DetectionSettings
    /// The port table's name, reported (method="table") when no probe matches.
    public let tableName: String?

    private var phase = Phase.null
    private var tunnel = false
    private var current: Int?
    private var response: [UInt8] = []
    private var hard: ServiceMatch?
    private var soft: ServiceMatch?
    private var wrapped = false
    private var wantsTLS = false
    private var tls: TLSDetails?
    private var banner: [UInt8] = []
    private var gaveUp = false
    private var ordersSent = 0
    private var bannerOrder: Int?

    /// Bytes of the first answer kept for the detail view.
    public static let bannerLimit = 256

    public init(database: ProbeDatabase, port: UInt16, transport: ProbeTransport, settings: DetectionSettings,
                tableName: String?) {
        self.database = database
        self.port = port
        self.transport = transport
        self.settings = settings
        self.tableName = tableName
    }

    /// The next probe to perform, or the identity when the port is done.
    public mutating func next() -> Step {
        if hard != nil || wrapped || gaveUp { return .done(identity()) }
        if wantsTLS {
            wantsTLS = false
            tunnel = true
            soft = nil
            phase = .null
        }
        while let index = advance() {
            let probe = database.probes[index]
            current = index
            response = []
            ordersSent += 1
            return .send(Order(probe: index, name: probe.name, payload: probe.payload, tunnel: tunnel,
                               wait: settings.wait(forMilliseconds: probe.totalWaitMilliseconds),
                               tcpWrapped: probe.isNull && !tunnel
                                   ? .milliseconds(probe.tcpWrappedMilliseconds) : nil))
        }
        phase = .finished
        return .done(identity())
    }

    /// Bytes of the current probe's answer. Returns true when reading can stop: a hard match, an `ssl`
    /// answer to follow into TLS, or the byte bound reached.
    public mutating func received(_ bytes: some Collection<UInt8>) -> Bool {
        guard let current else { return true }
        let room = settings.maxResponseBytes - response.count
        response += bytes.prefix(max(0, room))
        // The banner is the first answer that had any bytes, whichever probe drew it.
        if bannerOrder == nil && !response.isEmpty { bannerOrder = ordersSent }
        if bannerOrder == ordersSent { banner = Array(response.prefix(Self.bannerLimit)) }
        if let found = database.match(response, probe: current, softService: soft?.service) {
            if found.isSoft {
                if soft == nil { soft = found }
            } else if found.service == "ssl" && !tunnel {
                if settings.tlsEnabled { wantsTLS = true } else { hard = found }
                return true
            } else {
                hard = found
                return true
            }
        }
        return response.count >= settings.maxResponseBytes
    }

    /// The current probe is over: its wait ran out, the peer closed, or the connection failed.
    /// `closedByPeer` with no byte before the NULL probe's tcpwrapped time means a wrapper closed on us.
    public mutating func ended(closedByPeer: Bool, after elapsed: Duration) {
        guard let current else { return }
        let probe = database.probes[current]
        if probe.isNull, !tunnel, closedByPeer, response.isEmpty, elapsed < .milliseconds(probe.tcpWrappedMilliseconds) {
            wrapped = true
        }
        self.current = nil
    }

    /// The connection could not be made (refused, timed out): nothing more can be learned.
    public mutating func connectFailed() {
        current = nil
        gaveUp = true
    }

    /// The TLS handshake finished: what it showed is kept for the report.
    public mutating func tlsEstablished(_ details: TLSDetails) {
        tls = details
    }

    /// The TLS handshake failed: the port stays `ssl`.
    public mutating func tlsFailed() {
        current = nil
        hard = ServiceMatch(service: "ssl", isSoft: false, probe: "TLS", line: 0)
        tunnel = false
    }

    /// The port's time budget ran out: report what is known.
    public mutating func outOfTime() {
        current = nil
        gaveUp = true
    }

    /// Moves the phase on and returns the next probe index to send, if any.
    private mutating func advance() -> Int? {
        let probes = database.probes
        while true {
            switch phase {
            case .null:
                phase = .probable(next: 0)
                if transport == .tcp, let null = database.index(of: "NULL", transport: .tcp) { return null }
            case .probable(let start):
                if let index = firstIndex(from: start, where: { probes[$0].isProbable(port: port, inTunnel: tunnel) }) {
                    phase = .probable(next: index + 1)
                    return index
                }
                phase = .improbable(next: 0)
            case .improbable(let start):
                if let index = firstIndex(from: start, where: {
                    !probes[$0].isProbable(port: port, inTunnel: tunnel) && probes[$0].rarity <= settings.intensity
                }) {
                    phase = .improbable(next: index + 1)
                    return index
                }
                phase = .finished
            case .finished:
                return nil
            }
        }
    }

    private func firstIndex(from start: Int, where include: (Int) -> Bool) -> Int? {
        let probes = database.probes
        var index = start
        while index < probes.count {
            let probe = probes[index]
            if probe.transport == transport, !probe.isNull, soft.map({ probe.canName($0.service) }) ?? true, include(index) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// What is known now: the hard match, else tcpwrapped, else the soft match, else the port table's name.
    public func identity() -> ServiceIdentity {
        if let found = hard ?? soft {
            var name = found.service
            var inTunnel = tunnel
            if name.hasPrefix("ssl/") { name.removeFirst(4); inTunnel = true }
            if name == "ssl" && inTunnel { name = "unknown" }
            return ServiceIdentity(name: name, product: found.product, version: found.version, extraInfo: found.info,
                                   hostname: found.hostname, osType: found.osType, deviceType: found.deviceType,
                                   cpes: found.cpes, method: .probed, confidence: 10, tunnelSSL: inTunnel, tls: tls,
                                   banner: banner)
        }
        if wrapped {
            return ServiceIdentity(name: "tcpwrapped", method: .probed, confidence: 8, banner: banner)
        }
        return ServiceIdentity(name: tableName ?? "unknown", method: .table,
                               confidence: 3, tunnelSSL: tunnel, tls: tls, banner: banner)
    }
}
