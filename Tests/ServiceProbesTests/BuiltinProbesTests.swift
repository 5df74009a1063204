import Testing
@testable import ServiceProbes

/// The fallback set used when nmap is not installed: every line parses and the seeds' services are named.
@Suite("Built-in probes")
struct BuiltinProbesTests {
    let database = BuiltinProbes.database

    func probe(_ name: String) throws -> Int { try #require(database.index(of: name, transport: .tcp)) }

    @Test("the built-in file parses with no issues")
    func parsesCleanly() {
        #expect(database.issues.isEmpty, "\(database.issues)")
        #expect(database.probes.count >= 8)
    }

    @Test("banners sent on connect name ssh, ftp, smtp, pop3, imap, mysql and telnet")
    func banners() throws {
        let cases: [(String, String, String?, String?)] = [
            ("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n", "ssh", "OpenSSH", "9.2p1 Debian 2+deb12u3"),
            ("220 (vsFTPd 3.0.3)\r\n", "ftp", "vsftpd", "3.0.3"),
            ("220 mail.test ESMTP Postfix (Debian/GNU)\r\n", "smtp", "Postfix smtpd", nil),
            ("+OK Dovecot ready.\r\n", "pop3", "Dovecot pop3d", nil),
            ("* OK [CAPABILITY IMAP4rev1] Dovecot (Debian) ready.\r\n", "imap", "Dovecot imapd", nil),
            ("\u{4A}\0\0\0\u{0A}8.0.36\0rest", "mysql", "MySQL", "8.0.36"),
        ]
        for (banner, service, product, version) in cases {
            let match = try #require(database.match(Array(banner.utf8), probe: 0), "\(banner)")
            #expect(match.service == service && match.product == product && match.version == version, "\(match)")
        }
        let telnet = try #require(database.match([0xFF, 0xFD, 0x18, 0xFF, 0xFD, 0x20], probe: 0))
        #expect(telnet.service == "telnet")
    }

    @Test("HTTP answers give the Server header as product and version, and the title as extra info")
    func http() throws {
        let get = try probe("GetRequest")
        let titled = "HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n<html><title>Welcome</title>"
        let nginx = try #require(database.match(Array(titled.utf8), probe: get))
        #expect(nginx.service == "http" && nginx.product == "nginx" && nginx.info == "title: Welcome")
        let other = try #require(database.match(Array("HTTP/1.0 200 OK\r\nServer: Caddy/2.7\r\n\r\n".utf8), probe: get))
        #expect(other.service == "http" && other.isSoft && other.product == "Caddy" && other.version == "2.7")
    }

    @Test("TLS, DNS, Redis, PostgreSQL and RDP answers to their probes are named")
    func binaryProtocols() throws {
        let hello: [UInt8] = [0x16, 0x03, 0x03, 0x00, 0x4A, 0x02, 0x00, 0x00, 0x46, 0x03, 0x03] + Array(repeating: 1, count: 20)
        #expect(database.match(hello, probe: try probe("TLSSessionReq"))?.service == "ssl")
        let dns: [UInt8] = [0, 0x30, 0, 6, 0x85, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 7] + Array("version".utf8) + [4] + Array("bind".utf8)
            + [0, 0, 0x10, 0, 3, 0xC0, 0x0C, 0, 0x10, 0, 3, 0, 0, 0, 0, 0, 0x0F, 0x0E] + Array("dnsmasq-2.89".utf8)
        let dnsmasq = try #require(database.match(dns, probe: try probe("DNSVersionBindReqTCP")))
        #expect(dnsmasq.service == "domain" && dnsmasq.product == "dnsmasq" && dnsmasq.version == "2.89")
        let info = "$20\r\n# Server\r\nredis_version:7.0.15\r\n"
        let redis = try #require(database.match(Array(info.utf8), probe: try probe("redis-server")))
        #expect(redis.product == "Redis key-value store" && redis.version == "7.0.15")
        let pg = Array("E\0\0\0\u{5C}SFATAL\0VFATAL\0C0A000\0Munsupported frontend protocol 65363.19778: server supports 3.0 to 3.0\0".utf8)
        #expect(database.match(pg, probe: try probe("SMBProgNeg"))?.service == "postgresql")
        let rdp: [UInt8] = [0x03, 0, 0, 0x13, 0x0E, 0xD0, 0, 0, 0x12, 0x34, 0, 0x02, 0x1F, 0x08, 0, 0x02, 0, 0, 0]
        #expect(database.match(rdp, probe: try probe("TerminalServerCookie"))?.product == "Microsoft Terminal Services")
    }
}
