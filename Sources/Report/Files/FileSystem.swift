import Glibc

/// The few file calls an atomic write needs, behind a protocol so tests can fail any of them
/// (swift-system's mocking seam). `SystemFileSystem` is the only code in Report that calls Glibc.
protocol FileSystem: Sendable {
    /// Creates `path`, failing if it exists; returns the descriptor or an errno.
    func createExclusive(_ path: String) -> Result<Int32, Errno>
    /// Writes some of `bytes`; returns how many were written.
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno>
    func sync(_ fd: Int32) -> Result<Void, Errno>
    func close(_ fd: Int32) -> Result<Void, Errno>
    func rename(_ from: String, _ to: String) -> Result<Void, Errno>
    func remove(_ path: String)
    /// Makes a finished rename durable; best effort, since some filesystems refuse it on directories.
    func syncDirectory(_ path: String)
    /// Flushes C stdio's stdout so raw writes to descriptor 1 land after what `print` buffered.
    func flushStandardOutput()
}

/// An errno value, kept as a number so errors compare in tests and described with strerror.
struct Errno: Error, Equatable, Sendable {
    var code: Int32

    static let interrupted = Errno(code: EINTR)
}

struct SystemFileSystem: FileSystem {
    func createExclusive(_ path: String) -> Result<Int32, Errno> {
        retrying { open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666) }.map { Int32($0) }
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        retrying { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    func sync(_ fd: Int32) -> Result<Void, Errno> { retrying { Int(fsync(fd)) }.map { _ in } }

    func close(_ fd: Int32) -> Result<Void, Errno> {
        // Linux releases the descriptor even when close fails, so it is never retried.
        Glibc.close(fd) == 0 ? .success(()) : .failure(Errno(code: errno))
    }

    func rename(_ from: String, _ to: String) -> Result<Void, Errno> {
        Glibc.rename(from, to) == 0 ? .success(()) : .failure(Errno(code: errno))
    }

    func remove(_ path: String) { _ = unlink(path) }

    func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }

    // fflush(NULL) flushes every stdio stream: the `stdout` global is off-limits under strict concurrency.
    func flushStandardOutput() { fflush(nil) }

    private func retrying(_ call: () -> Int) -> Result<Int, Errno> {
        while true {
            let result = call()
            if result >= 0 { return .success(result) }
            if errno != EINTR { return .failure(Errno(code: errno)) }
        }
    }

    private func retrying(_ call: () -> Int32) -> Result<Int, Errno> { retrying { Int(call()) } }
}

extension Errno: CustomStringConvertible {
    var description: String { String(cString: strerror(code)) }
}
