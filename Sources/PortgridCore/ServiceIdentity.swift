/// What service and version detection (`-sV`) learned about one open port, in nmap's terms.
/// Every text field is as the service sent it (after the probe file's templates): writers escape it.
public struct ServiceIdentity: Hashable, Sendable {
    /// How the name was found: by probing (a match line) or, when no probe matched, from the port table.
    public enum Method: String, Sendable { case probed, table }

    public var name: String
    public var product: String?
    public var version: String?
    public var extraInfo: String?
    public var hostname: String?
    public var osType: String?
    public var deviceType: String?
    public var cpes: [String]
    public var method: Method
    /// nmap's confidence: 10 for a match, 8 for tcpwrapped, 3 for a table guess.
    public var confidence: Int
    /// The service was found inside TLS (nmap's `tunnel="ssl"`, shown as `ssl/http`).
    public var tunnelSSL: Bool
    public var tls: TLSDetails?
    /// The first bytes the port sent (bounded), kept raw for a detail view; escape before showing.
    public var banner: [UInt8]

    public init(name: String, product: String? = nil, version: String? = nil, extraInfo: String? = nil,
                hostname: String? = nil, osType: String? = nil, deviceType: String? = nil, cpes: [String] = [],
                method: Method = .probed, confidence: Int = 10, tunnelSSL: Bool = false, tls: TLSDetails? = nil,
                banner: [UInt8] = []) {
        self.name = name
        self.product = product
        self.version = version
        self.extraInfo = extraInfo
        self.hostname = hostname
        self.osType = osType
        self.deviceType = deviceType
        self.cpes = cpes
        self.method = method
        self.confidence = confidence
        self.tunnelSSL = tunnelSSL
        self.tls = tls
        self.banner = banner
    }

    /// nmap's VERSION column: `OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)`.
    public var versionLine: String {
        var words: [String] = []
        if let product { words.append(product) }
        if let version { words.append(version) }
        if let extraInfo { words.append("(\(extraInfo))") }
        return words.joined(separator: " ")
    }

    /// The SERVICE column: `ssh`, `ssl/http`.
    public var displayName: String { tunnelSSL ? "ssl/\(name)" : name }
}

/// What a TLS handshake showed: protocol version and the server certificate's names and dates.
public struct TLSDetails: Hashable, Sendable {
    public var protocolVersion: String
    public var subject: String
    public var issuer: String
    public var subjectAltNames: [String]
    /// notAfter, as the certificate states it (e.g. "2026-12-01T06:00:00Z").
    public var notAfter: String

    public init(protocolVersion: String, subject: String, issuer: String, subjectAltNames: [String], notAfter: String) {
        self.protocolVersion = protocolVersion
        self.subject = subject
        self.issuer = issuer
        self.subjectAltNames = subjectAltNames
        self.notAfter = notAfter
    }
}

/// Where a detected service lives.
public struct ServiceKey: Hashable, Sendable {
    public var host: IPAddress
    public var proto: TransportProtocol
    public var port: UInt16

    public init(host: IPAddress, proto: TransportProtocol, port: UInt16) {
        self.host = host
        self.proto = proto
        self.port = port
    }
}
