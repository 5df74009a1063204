import Foundation
import Glibc

/// Drives a program in a detached tmux session, as a person at a terminal would: keys in,
/// screen text out, every wait a poll against a deadline (never a fixed sleep).
final class TUITmuxSession {
    enum Failure: Error, CustomStringConvertible {
        case tmux([String], String)
        case timeout(String, screen: String)

        var description: String {
            switch self {
            case .tmux(let args, let why): "tmux \(args.joined(separator: " ")) failed: \(why)"
            case .timeout(let what, let screen): "timed out waiting for \(what); the screen was:\n\(screen)"
            }
        }
    }

    static var tmuxPath: String? {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The session's name, and its server's socket: each session has a server of its own. With one
    /// server for the test process, a test closing the last session removed the socket file while
    /// another test's new session was starting a new server on it, and that test's next command
    /// found no server.
    let name: String

    /// Starts `command` (run by sh) in a new session of the given size.
    init(command: String, cols: Int, rows: Int) throws {
        name = "portgrid-tui-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try tmux(["new-session", "-d", "-s", name, "-x", "\(cols)", "-y", "\(rows)", command])
    }

    deinit { close() }

    func close() {
        _ = try? tmux(["kill-session", "-t", name])
        // Its only session gone, the server exits but leaves its socket file: remove it.
        let directory = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(directory)/tmux-\(getuid())/\(name)")
    }

    func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", name] + keys)
    }

    func resize(cols: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(cols)", "-y", "\(rows)"])
    }

    /// The visible screen, one string per row.
    func screen() throws -> [String] {
        try tmux(["capture-pane", "-p", "-t", name]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Polls the screen until `condition` holds; returns the screen that satisfied it.
    @discardableResult
    func waitFor(_ what: String, timeout: Duration = .seconds(20), every interval: Duration = .milliseconds(50),
                 _ condition: ([String]) -> Bool) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        var last: [String] = []
        while ContinuousClock.now < deadline {
            last = try screen()
            if condition(last) { return last }
            try await Task.sleep(for: interval)
        }
        // One last look: a poll whose sleep ended past the deadline (a loaded machine) has not seen
        // the screen since.
        last = try screen()
        if condition(last) { return last }
        throw Failure.timeout(what, screen: last.joined(separator: "\n"))
    }

    @discardableResult
    func waitFor(text: String, timeout: Duration = .seconds(20)) async throws -> [String] {
        try await waitFor("'\(text)'", timeout: timeout) { $0.contains { $0.contains(text) } }
    }

    /// Processes under this session's pane whose executable is `path`.
    func processes(running path: String) throws -> [Int32] {
        let panePID = try tmux(["display-message", "-p", "-t", name, "#{pane_pid}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let root = Int32(panePID) else { return [] }
        var parents: [Int32: Int32] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // After "pid (comm) state ppid": the command may hold spaces, so split after ')'.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, let parent = Int32(fields[1]) { parents[pid] = parent }
        }
        func descends(_ pid: Int32) -> Bool {
            var current = pid, steps = 0
            while let parent = parents[current], steps < 64 {
                if parent == root { return true }
                current = parent
                steps += 1
            }
            return false
        }
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return parents.keys.filter { pid in
            (pid == root || descends(pid))
                && (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) == target
        }
    }

    /// Runs one tmux command and returns its standard output. posix_spawn and waitpid, with the
    /// output in files: the first command starts tmux's server, which would hold a pipe open (no
    /// EOF) and has made Foundation's Process miss the client's exit.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        guard let tmux = Self.tmuxPath else { throw Failure.tmux(arguments, "tmux is not installed") }
        let base = NSTemporaryDirectory() + "portgrid-tmux-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let outPath = base + ".out", errPath = base + ".err"
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // Nothing else: the first command becomes the server, a daemon that lives as long as the
        // session, and every descriptor it inherited would stay open with it. Tests run in parallel, so that
        // once included a responder's stdin pipe, whose end of file then never came (its test failed).
        Self.closeInheritedDescriptors(&actions)
        // A server of the session's own (-L): the tests never touch anyone else's tmux sessions.
        let argv = ([tmux, "-L", name] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Failure.tmux(arguments, String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // A normal exit with status 0: WIFEXITED and WEXITSTATUS, spelled out (they are C macros).
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw Failure.tmux(arguments, (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "status \(status)")
        }
        return output
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later), looked up at run time
    /// because Swift's Glibc module does not import it; without it, a close action per descriptor
    /// open now (glibc ignores a close of one that is no longer open).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}
