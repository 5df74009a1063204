import Foundation
import Glibc

/// Real daemons from Debian's packages (nginx with HTTP and a self-signed HTTPS site, OpenSSH, Redis, vsftpd,
/// dnsmasq), started in the foreground inside a testbed's target namespace on one address, with their
/// configuration, keys and pid files in a scratch directory. `stop()` ends every one of them (a namespace
/// being deleted does not end its processes), and runs on every path of `with`.
final class ServiceDaemons {
    static let ports: [UInt16] = [21, 22, 53, 80, 443, 6379]
    static let binaries = ["/usr/sbin/nginx", "/usr/sbin/sshd", "/usr/bin/redis-server", "/usr/sbin/vsftpd",
                           "/usr/sbin/dnsmasq", "/usr/bin/openssl", "/usr/bin/ssh-keygen"]
    static var isAvailable: Bool { binaries.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) } }
    static let requirement = "needs nginx, openssh-server, redis-server, vsftpd, dnsmasq and openssl (.ci/run installs them)"

    private let directory: String
    private var pids: [pid_t] = []

    private let expectedPorts: [UInt16]

    static func with<T>(namespace: String, address: String, _ body: () async throws -> T) async throws -> T {
        let daemons = try ServiceDaemons(namespace: namespace, address: address)
        defer { daemons.stop() }
        return try await body()
    }

    /// Any one program (a python3 responder) run the same way, until `body` returns.
    static func with<T>(namespace: String, running argv: [String], listeningOn ports: [UInt16],
                        _ body: () async throws -> T) async throws -> T {
        let daemons = try ServiceDaemons(namespace: namespace, argv: argv, ports: ports)
        defer { daemons.stop() }
        return try await body()
    }

    private init(namespace: String, argv: [String], ports: [UInt16]) throws {
        directory = NSTemporaryDirectory() + "pg-daemons-\(getpid())-\(TestbedSequence.next())"
        expectedPorts = ports
        do {
            try start(namespace, argv)
            try waitUntilListening(namespace)
        } catch {
            stop()
            throw error
        }
    }

    private init(namespace: String, address: String) throws {
        directory = NSTemporaryDirectory() + "pg-daemons-\(getpid())-\(TestbedSequence.next())"
        expectedPorts = Self.ports
        try FileManager.default.createDirectory(atPath: directory + "/empty", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        do {
            try prepareFiles(address: address)
            let d = directory
            try start(namespace, ["/usr/sbin/nginx", "-p", d, "-c", d + "/nginx.conf", "-e", d + "/nginx-error.log"])
            try start(namespace, ["/usr/sbin/sshd", "-D", "-e", "-f", "/dev/null", "-h", d + "/ssh_host_ed25519_key",
                                  "-o", "ListenAddress=\(address):22", "-o", "PidFile=\(d)/sshd.pid", "-o", "UsePAM=no"])
            try start(namespace, ["/usr/bin/redis-server", "--bind", address, "--port", "6379", "--save", "",
                                  "--appendonly", "no", "--dir", d, "--protected-mode", "no", "--daemonize", "no"])
            try start(namespace, ["/usr/sbin/vsftpd", d + "/vsftpd.conf"])
            try start(namespace, ["/usr/sbin/dnsmasq", "-k", "-C", "/dev/null", "--listen-address=\(address)",
                                  "--bind-interfaces", "--port=53", "--no-resolv", "--no-hosts", "-u", "root",
                                  "--pid-file=\(d)/dnsmasq.pid"])
            try waitUntilListening(namespace)
        } catch {
            stop()
            throw error
        }
    }

    private func prepareFiles(address: String) throws {
        let d = directory
        try TestbedCommand.run(["/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                                "-keyout", d + "/tls.key", "-out", d + "/tls.crt", "-subj", "/CN=testbed.test/O=portgrid",
                                "-addext", "subjectAltName=DNS:testbed.test,IP:\(address)"])
        try TestbedCommand.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", d + "/ssh_host_ed25519_key"])
        try "<html><head><title>portgrid testbed</title></head><body>hello</body></html>\n"
            .write(toFile: d + "/index.html", atomically: true, encoding: .utf8)
        let nginx = """
        daemon off;
        user root;
        worker_processes 1;
        pid \(d)/nginx.pid;
        events { worker_connections 256; }
        http {
            access_log off;
            client_body_temp_path \(d)/body; proxy_temp_path \(d)/proxy; fastcgi_temp_path \(d)/fastcgi;
            uwsgi_temp_path \(d)/uwsgi; scgi_temp_path \(d)/scgi;
            server { listen \(address):80; root \(d); }
            server { listen \(address):443 ssl; root \(d);
                     ssl_certificate \(d)/tls.crt; ssl_certificate_key \(d)/tls.key; }
        }
        """
        try nginx.write(toFile: d + "/nginx.conf", atomically: true, encoding: .utf8)
        let vsftpd = """
        listen=YES
        listen_ipv6=NO
        listen_address=\(address)
        background=NO
        anonymous_enable=NO
        local_enable=NO
        seccomp_sandbox=NO
        secure_chroot_dir=\(d)/empty
        xferlog_enable=NO

        """
        try vsftpd.write(toFile: d + "/vsftpd.conf", atomically: true, encoding: .utf8)
    }

    /// posix_spawn rather than Foundation's Process: a handful of long-lived Process children stalled
    /// Foundation's reaping of later short commands here (a finished `ss` stayed a zombie and its wait hung).
    private func start(_ namespace: String, _ argv: [String]) throws {
        let full = ["/usr/sbin/ip", "netns", "exec", namespace] + argv
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
        }
        var pointers = full.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, full[0], &actions, nil, &pointers, environ)
        guard status == 0 else { throw TestbedError.launchFailed(full, "posix_spawn: \(status)") }
        pids.append(pid)
    }

    /// Running, not yet reaped; if something else reaped it (ECHILD), whether the pid still exists.
    private func isRunning(_ pid: pid_t) -> Bool {
        var status: CInt = 0
        let result = waitpid(pid, &status, WNOHANG)
        return result == 0 || (result < 0 && kill(pid, 0) == 0)
    }

    /// Reads the target namespace's listening TCP ports through a daemon's /proc/PID/net/tcp (its network
    /// namespace's view) until every port listens, 10 s at most, so no scan races a daemon's start.
    private func waitUntilListening(_ namespace: String) throws {
        let deadline = ContinuousClock.now + .seconds(10)
        var missing = expectedPorts
        while ContinuousClock.now < deadline {
            if let dead = pids.first(where: { !isRunning($0) }) {
                throw TestbedError.responderNotReady("a daemon (pid \(dead)) exited early")
            }
            let table = (try? String(contentsOfFile: "/proc/\(pids[0])/net/tcp", encoding: .utf8)) ?? ""
            // "  0: 020012C6:0050 00000000:0000 0A ..." -- local port in hex, state 0A = LISTEN.
            var listening = Set<UInt16>()
            for line in table.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                guard fields.count > 3, fields[3] == "0A", let port = fields[1].split(separator: ":").last.flatMap({ UInt16($0, radix: 16) })
                else { continue }
                listening.insert(port)
            }
            missing = expectedPorts.filter { !listening.contains($0) }
            if missing.isEmpty { return }
            usleep(50_000)
        }
        throw TestbedError.responderNotReady("daemons not listening on \(missing)")
    }

    func stop() {
        for pid in pids where isRunning(pid) { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(5)
        for pid in pids {
            while isRunning(pid) && ContinuousClock.now < deadline { usleep(20_000) }
            if isRunning(pid) { kill(pid, SIGKILL); var status: CInt = 0; waitpid(pid, &status, 0) }
        }
        pids.removeAll()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
