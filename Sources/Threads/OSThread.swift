import CPortgridSystem
import Glibc

/// A thread of the operating system's own, for loops that block (a socket's wait, a terminal's
/// read, a pattern database's load): they must never hold one of Swift's cooperative threads.
/// pthreads directly rather than Foundation's `Thread`: the scanning executable links only
/// FoundationEssentials, which leaves about 6 MB of Foundation's pages out of every run.
public enum OSThread {
    /// Starts `body` on a detached thread named `name` (the kernel keeps 15 bytes of it, as
    /// `/proc/PID/task/TID/comm` and `top -H` show). `stackSize` in bytes, nil for the system's.
    /// A thread that cannot be made is a process that cannot work: it ends with one line.
    public static func start(name: String, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        var thread = pthread_t()
        let status = pthread_create(&thread, &attributes, { argument in
            let start = Unmanaged<Start>.fromOpaque(argument!).takeRetainedValue()
            _ = portgrid_name_thread(start.name)
            start.body()
            return nil
        }, box)
        if status != 0 {
            Unmanaged<Start>.fromOpaque(box).release()
            let line = "portgrid: cannot start a thread (\(name)): \(String(cString: strerror(status)))\n"
            _ = line.withCString { write(STDERR_FILENO, $0, strlen($0)) }
            exit(1)
        }
    }

    /// Blocks the calling thread for `duration` (never call it on the cooperative pool).
    public static func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }

    private final class Start: @unchecked Sendable {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }
}
