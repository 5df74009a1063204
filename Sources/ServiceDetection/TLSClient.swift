import CPortgridTLS
import Glibc
import PortgridCore

/// libssl's client context, shared by every probe connection (OpenSSL makes SSL_new on one context thread-safe).
/// It verifies nothing: detection must read self-signed and expired services as nmap does.
final class TLSContext: @unchecked Sendable {
    let context: UnsafeMutableRawPointer

    init?() {
        guard pg_tls_load() == 1, let context = pg_tls_context_new() else { return nil }
        self.context = context
    }

    deinit { pg_tls_context_free(context) }
}

/// One TLS session over a connected non-blocking socket; each call waits with poll until its deadline.
final class TLSSession {
    private let ssl: UnsafeMutableRawPointer
    private let fd: CInt

    init(context: TLSContext, fd: CInt) throws(ProbeIOError) {
        guard let ssl = pg_tls_new(context.context, fd) else { throw .tls("SSL_new failed") }
        self.ssl = ssl
        self.fd = fd
    }

    deinit { pg_tls_free(ssl) }

    /// Completes the handshake and reads what it showed: protocol version and the certificate's names and expiry.
    func handshake(until deadline: ContinuousClock.Instant) throws(ProbeIOError) -> TLSDetails {
        while true {
            pg_tls_clear_errors()
            let result = pg_tls_connect(ssl)
            if result == 1 { break }
            guard waitFor(pg_tls_error(ssl, result), until: deadline) else {
                throw .tls(result == 0 ? "handshake refused" : "handshake failed or timed out")
            }
        }
        let version = String(cString: pg_tls_version(ssl))
        guard let certificate = pg_tls_peer_certificate(ssl) else {
            return TLSDetails(protocolVersion: version, subject: "", issuer: "", subjectAltNames: [], notAfter: "")
        }
        defer { pg_tls_certificate_free(certificate) }
        let names = Self.text { pg_tls_alt_names(certificate, $0, $1) }
        return TLSDetails(protocolVersion: version,
                          subject: Self.text { pg_tls_name(certificate, 0, $0, $1) },
                          issuer: Self.text { pg_tls_name(certificate, 1, $0, $1) },
                          subjectAltNames: names.isEmpty ? [] : names.split(separator: "\n").map(String.init),
                          notAfter: Self.text { pg_tls_not_after(certificate, $0, $1) })
    }

    func send(_ bytes: [UInt8], until deadline: ContinuousClock.Instant) throws(ProbeIOError) {
        guard !bytes.isEmpty else { return }
        while true {
            pg_tls_clear_errors()
            let written = bytes.withUnsafeBytes { pg_tls_write(ssl, $0.baseAddress, CInt($0.count)) }
            if written > 0 { return }
            guard waitFor(pg_tls_error(ssl, written), until: deadline) else { throw .closed }
        }
    }

    func receive(limit: Int, until deadline: ContinuousClock.Instant) -> ReadResult {
        var buffer = [UInt8](repeating: 0, count: max(1, limit))
        while true {
            pg_tls_clear_errors()
            let count = buffer.withUnsafeMutableBytes { pg_tls_read(ssl, $0.baseAddress, CInt($0.count)) }
            if count > 0 { return .data(Array(buffer[0..<Int(count)])) }
            let error = pg_tls_error(ssl, count)
            guard error == pg_tls_want_read() || error == pg_tls_want_write() else { return .closed }
            if !waitFor(error, until: deadline) { return .timedOut }
        }
    }

    /// Polls for what OpenSSL asked for; false when the error is not a "try again" or the deadline passed.
    private func waitFor(_ error: CInt, until deadline: ContinuousClock.Instant) -> Bool {
        if error == pg_tls_want_read() { return SocketCalls.wait(fd, events: Int16(POLLIN), until: deadline) }
        if error == pg_tls_want_write() { return SocketCalls.wait(fd, events: Int16(POLLOUT), until: deadline) }
        return false
    }

    private static func text(_ fill: (UnsafeMutablePointer<CChar>, CInt) -> CInt) -> String {
        var buffer = [CChar](repeating: 0, count: 2048)
        let length = buffer.withUnsafeMutableBufferPointer { fill($0.baseAddress!, CInt($0.count)) }
        guard length > 0 else { return "" }
        return String(decoding: buffer[0..<Int(length)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
