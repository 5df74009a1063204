import Foundation

/// A python3 process listening on 127.0.0.1 with one port per behaviour, well-mannered or hostile;
/// it prints its ports as JSON and lives until its stdin closes (so a failed test cannot leave it behind).
final class LoopbackResponders {
    static let script = #"""
    import json, socket, sys, threading, time, ssl
    def serve(name, handler):
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0)); s.listen(16)
        def loop():
            while True:
                c, _ = s.accept()
                threading.Thread(target=run, args=(c,), daemon=True).start()
        def run(c):
            try: handler(c)
            except Exception: pass
        threading.Thread(target=loop, daemon=True).start()
        return name, s.getsockname()[1]
    def ssh(c): c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"); time.sleep(30)
    def ansi(c): c.sendall(b"\x1b[2J\x1b]0;owned\x07\x1b[31mSSH-2.0-Evil\r\n"); time.sleep(30)
    def nul(c): c.sendall(b"\x00" * 64 + b"220 hi\x00\r\n"); time.sleep(30)
    def endless(c):
        chunk = b"\x1b[5m" + b"A" * 4092
        while True: c.sendall(chunk)
    def silent(c): time.sleep(60)
    def wrapped(c): c.close()
    def http(c):
        c.recv(4096)
        c.sendall(b"HTTP/1.0 200 OK\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n<title>hi</title>")
        c.close()
    ports = dict(serve(n, h) for n, h in [("ssh", ssh), ("ansi", ansi), ("nul", nul), ("endless", endless),
                                          ("silent", silent), ("wrapped", wrapped), ("http", http)])
    print(json.dumps(ports), flush=True)
    sys.stdin.read()
    """#

    let process = Process()
    private let input = Pipe()
    let ports: [String: UInt16]

    init() throws {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.script]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // One line of JSON: read byte by byte until the newline, so nothing of a later write is swallowed.
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) {
            line.append(byte)
        }
        let decoded = try JSONSerialization.jsonObject(with: line) as? [String: Int] ?? [:]
        ports = decoded.mapValues { UInt16($0) }
    }

    deinit {
        try? input.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}
