import PortgridCore
import ServiceProbes
import Testing
@testable import ServiceDetection

/// The per-port decider, driven by hand: no socket, no clock.
@Suite("Service probing decider")
struct ServiceProbingTests {
    let database = BuiltinProbes.database

    func probing(port: UInt16, transport: ProbeTransport = .tcp, intensity: Int = 7, table: String? = nil) -> ServiceProbing {
        ServiceProbing(database: database, port: port, transport: transport,
                       settings: DetectionSettings(intensity: intensity), tableName: table)
    }

    /// Sends every probe without an answer and returns their names, in order.
    func silentOrder(_ probing: inout ServiceProbing) -> [String] {
        var names: [String] = []
        while case .send(let order) = probing.next() {
            names.append(order.name)
            probing.ended(closedByPeer: false, after: .seconds(5))
        }
        return names
    }

    @Test("a TCP port gets the NULL probe first, then the probes naming its port, then the rest within the intensity")
    func order() {
        var http = probing(port: 80)
        let names = silentOrder(&http)
        #expect(names.first == "NULL")
        #expect(names[1] == "GetRequest")
        #expect(!names.contains("redis-server"), "rarity 8 is above intensity 7 and 80 is not its port")
        var redis = probing(port: 6379)
        #expect(silentOrder(&redis).prefix(2) == ["NULL", "redis-server"])
        var all = probing(port: 80, intensity: 9)
        #expect(silentOrder(&all).contains("redis-server"))
    }

    @Test("intensity 0 sends only the NULL probe and the probes that name the port")
    func intensityZero() {
        var dns = probing(port: 53, intensity: 0)
        #expect(silentOrder(&dns) == ["NULL", "DNSVersionBindReqTCP"])
    }

    @Test("a UDP port gets no NULL probe")
    func udp() {
        var dns = probing(port: 53, transport: .udp, intensity: 0)
        #expect(silentOrder(&dns) == ["DNSVersionBindReq"])
    }

    @Test("a banner that matches ends the port with nmap's fields and keeps the banner bytes")
    func banner() throws {
        var ssh = probing(port: 22)
        guard case .send(let order) = ssh.next() else { Issue.record("no probe"); return }
        #expect(order.name == "NULL" && order.tcpWrapped == .seconds(3))
        let bytes = Array("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n".utf8)
        let stopped = ssh.received(bytes)
        #expect(stopped)
        ssh.ended(closedByPeer: false, after: .milliseconds(3))
        guard case .done(let identity) = ssh.next() else { Issue.record("not done"); return }
        #expect(identity.name == "ssh" && identity.product == "OpenSSH" && identity.version == "9.2p1 Debian 2+deb12u3")
        #expect(identity.versionLine == "OpenSSH 9.2p1 Debian 2+deb12u3 (protocol 2.0)")
        #expect(identity.method == .probed && identity.confidence == 10 && identity.banner == bytes)
    }

    @Test("a close without a byte during the NULL probe's tcpwrapped time is tcpwrapped")
    func tcpwrapped() {
        var wrapped = probing(port: 22)
        _ = wrapped.next()
        wrapped.ended(closedByPeer: true, after: .milliseconds(20))
        guard case .done(let identity) = wrapped.next() else { Issue.record("not done"); return }
        #expect(identity.name == "tcpwrapped" && identity.confidence == 8)
    }

    @Test("an ssl answer restarts probing inside TLS with the NULL probe, and a match there is ssl/http")
    func tlsTunnel() throws {
        var https = probing(port: 443)
        _ = https.next()                        // NULL: nothing
        https.ended(closedByPeer: false, after: .seconds(6))
        guard case .send(let get) = https.next(), get.name == "GetRequest" || get.name == "TLSSessionReq" else {
            Issue.record("expected a port-443 probe"); return
        }
        var order = get
        while order.name != "TLSSessionReq" {
            https.ended(closedByPeer: false, after: .seconds(1))
            guard case .send(let next) = https.next() else { Issue.record("ran out"); return }
            order = next
        }
        let hello: [UInt8] = [0x16, 0x03, 0x03, 0x00, 0x4A, 0x02, 0x00, 0x00, 0x46, 0x03, 0x03] + Array(repeating: 7, count: 30)
        let toTLS = https.received(hello)
        #expect(toTLS)
        https.ended(closedByPeer: false, after: .milliseconds(2))
        guard case .send(let inside) = https.next() else { Issue.record("no tunnel probe"); return }
        #expect(inside.tunnel && inside.name == "NULL" && inside.tcpWrapped == nil)
        https.tlsEstablished(TLSDetails(protocolVersion: "TLSv1.3", subject: "CN=test", issuer: "CN=test",
                                        subjectAltNames: ["DNS:test"], notAfter: "2030-01-01T00:00:00Z"))
        https.ended(closedByPeer: false, after: .seconds(1))
        guard case .send(let getInside) = https.next() else { Issue.record("no GetRequest in tunnel"); return }
        #expect(getInside.name == "GetRequest" && getInside.tunnel)
        let matched = https.received(Array("HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\n\r\n".utf8))
        #expect(matched)
        https.ended(closedByPeer: false, after: .milliseconds(1))
        guard case .done(let identity) = https.next() else { Issue.record("not done"); return }
        #expect(identity.displayName == "ssl/http" && identity.product == "nginx" && identity.version == "1.22.1")
        #expect(identity.tls?.protocolVersion == "TLSv1.3")
    }

    @Test("after a soft match only probes that could name that service are sent, and the soft match is reported")
    func softMatch() {
        var ftp = probing(port: 2121)
        _ = ftp.next()
        let stopped = ftp.received(Array("220 Some FTP server\r\n".utf8))
        #expect(!stopped)
        ftp.ended(closedByPeer: false, after: .seconds(1))
        let rest = silentOrder(&ftp)
        #expect(rest.allSatisfy { name in database.probes.first { $0.name == name }!.canName("ftp") })
        guard case .done(let identity) = ftp.next() else { Issue.record("not done"); return }
        #expect(identity.name == "ftp" && identity.method == .probed && identity.product == nil)
    }

    @Test("an answer is kept only up to the byte bound, and reading stops there")
    func byteBound() {
        var endless = probing(port: 4000)
        _ = endless.next()
        var stopped = false
        for _ in 0..<100 where !stopped { stopped = endless.received([UInt8](repeating: 0x41, count: 1000)) }
        #expect(stopped)
        endless.ended(closedByPeer: false, after: .seconds(1))
        guard case .send = endless.next() else { Issue.record("expected more probes"); return }
        #expect(endless.identity().banner.count == ServiceProbing.bannerLimit)
    }

    @Test("a port nothing matches is named from the port table with nmap's table method and confidence 3")
    func tableGuess() {
        var silent = probing(port: 3306, intensity: 2, table: "mysql")
        _ = silentOrder(&silent)
        guard case .done(let identity) = silent.next() else { Issue.record("not done"); return }
        #expect(identity.name == "mysql" && identity.method == .table && identity.confidence == 3)
    }

    @Test("a refused connection ends the port at once")
    func refused() {
        var gone = probing(port: 80)
        _ = gone.next()
        gone.connectFailed()
        guard case .done = gone.next() else { Issue.record("expected done"); return }
    }
}
