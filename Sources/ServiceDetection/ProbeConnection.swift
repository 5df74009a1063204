import PortgridCore

/// One connection of one probe: plain or through TLS, closed when released.
final class ProbeConnection {
    private let fd: CInt
    private var tls: TLSSession?

    private init(fd: CInt) { self.fd = fd }

    deinit {
        tls = nil
        SocketCalls.close(fd)
    }

    static func open(_ key: ServiceKey, deadline: ContinuousClock.Instant) -> Result<ProbeConnection, ProbeIOError> {
        SocketCalls.connect(to: key.host, port: key.port, transport: key.proto, deadline: deadline)
            .map { ProbeConnection(fd: $0) }
    }

    func startTLS(_ context: TLSContext, until deadline: ContinuousClock.Instant) throws(ProbeIOError) -> TLSDetails {
        let session = try TLSSession(context: context, fd: fd)
        let details = try session.handshake(until: deadline)
        tls = session
        return details
    }

    func send(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) -> Bool {
        if let tls {
            do { try tls.send(bytes, until: deadline); return true } catch { return false }
        }
        if case .success = SocketCalls.send(fd, bytes, until: deadline) { return true }
        return false
    }

    func receive(limit: Int, until deadline: ContinuousClock.Instant) -> ReadResult {
        if let tls { return tls.receive(limit: limit, until: deadline) }
        return SocketCalls.receive(fd, limit: limit, until: deadline)
    }
}
