import Glibc

/// What `stat` says about a path or a descriptor, as much as the output rules need.
struct FileStatus: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case regular, directory, characterDevice, blockDevice, fifo, socket, symbolicLink, other
    }

    var kind: Kind
    var device: UInt64
    var inode: UInt64
    /// Permission bits (and set-id bits), for keeping an existing report's mode.
    var permissions: UInt32
    var owner: UInt32
    var group: UInt32
    /// For a device, which one (`/dev/null` is 1,3).
    var deviceNumber: UInt64
}

/// The file calls the output writers make, behind a protocol so tests can fail any of them
/// (swift-system's mocking seam). `SystemFileSystem` is the only code in Report that calls Glibc.
protocol FileSystem: Sendable {
    /// `stat` (following symbolic links) or `lstat`.
    func status(_ path: ReportPath, followingLinks: Bool) -> Result<FileStatus, Errno>
    func status(descriptor: Int32) -> Result<FileStatus, Errno>
    func readLink(_ path: ReportPath) -> Result<ReportPath, Errno>
    /// The canonical absolute path of an existing directory (`realpath`).
    func canonical(_ path: ReportPath) -> Result<ReportPath, Errno>
    /// Whether this process may write the existing file (effective ids, as `open` would decide).
    func checkWritable(_ path: ReportPath) -> Result<Void, Errno>
    /// Creates `path` with `mode` (less the umask), failing if it exists; returns the descriptor.
    func createExclusive(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno>
    /// Opens an existing non-regular file for writing in place; `nonBlocking` for a FIFO's first try.
    /// `--append-output`: a regular file opened (created if missing) to write at its end, never truncated.
    func openForAppending(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno>
    func openForWriting(_ path: ReportPath, nonBlocking: Bool) -> Result<Int32, Errno>
    /// Connects to a Unix stream socket at `path`.
    func connectSocket(_ path: ReportPath) -> Result<Int32, Errno>
    func duplicate(_ fd: Int32) -> Result<Int32, Errno>
    func setBlocking(_ fd: Int32)
    /// Writes some of `bytes`; returns how many were written.
    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno>
    func sync(_ fd: Int32) -> Result<Void, Errno>
    func setPermissions(_ fd: Int32, _ permissions: UInt32) -> Result<Void, Errno>
    /// Best effort: only root may give a file away, and a report is still a report without it.
    func setOwner(_ fd: Int32, owner: UInt32, group: UInt32)
    func close(_ fd: Int32) -> Result<Void, Errno>
    func rename(_ from: ReportPath, _ to: ReportPath) -> Result<Void, Errno>
    func remove(_ path: ReportPath)
    /// Makes a finished rename durable; best effort, since some filesystems refuse it on directories.
    func syncDirectory(_ path: ReportPath)
    /// Flushes C stdio's stdout so raw writes to descriptor 1 land after what `print` buffered.
    func flushStandardOutput()
    /// Waits a little (a FIFO's reader has not come yet).
    func pause(milliseconds: Int)
}

/// An errno value, kept as a number so errors compare in tests and described with strerror.
struct Errno: Error, Equatable, Sendable {
    var code: Int32

    static let interrupted = Errno(code: EINTR)
}

struct SystemFileSystem: FileSystem {
    func status(_ path: ReportPath, followingLinks: Bool) -> Result<FileStatus, Errno> {
        var info = stat()
        let result = path.withCString { followingLinks ? stat($0, &info) : lstat($0, &info) }
        return result == 0 ? .success(FileStatus(info)) : .failure(Errno(code: errno))
    }

    func status(descriptor: Int32) -> Result<FileStatus, Errno> {
        var info = stat()
        return fstat(descriptor, &info) == 0 ? .success(FileStatus(info)) : .failure(Errno(code: errno))
    }

    func readLink(_ path: ReportPath) -> Result<ReportPath, Errno> {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = path.withCString { name in
            buffer.withUnsafeMutableBytes { readlink(name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        }
        guard count >= 0 else { return .failure(Errno(code: errno)) }
        return .success(ReportPath(bytes: Array(buffer[..<count])))
    }

    func canonical(_ path: ReportPath) -> Result<ReportPath, Errno> {
        guard let resolved = path.withCString({ realpath($0, nil) }) else { return .failure(Errno(code: errno)) }
        defer { free(resolved) }
        return .success(ReportPath(bytes: Array(UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)))))
    }

    func checkWritable(_ path: ReportPath) -> Result<Void, Errno> {
        path.withCString { faccessat(AT_FDCWD, $0, W_OK, AT_EACCESS) } == 0 ? .success(()) : .failure(Errno(code: errno))
    }

    func createExclusive(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno> {
        retrying { path.withCString { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode) } }.map { Int32($0) }
    }

    func openForAppending(_ path: ReportPath, mode: UInt32) -> Result<Int32, Errno> {
        let flags = O_WRONLY | O_APPEND | O_CREAT | O_NOCTTY | O_CLOEXEC
        return retrying { path.withCString { open($0, flags, mode) } }.map { Int32($0) }
    }

    func openForWriting(_ path: ReportPath, nonBlocking: Bool) -> Result<Int32, Errno> {
        let flags = O_WRONLY | O_NOCTTY | O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)
        return retrying { path.withCString { open($0, flags) } }.map { Int32($0) }
    }

    func connectSocket(_ path: ReportPath) -> Result<Int32, Errno> {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.bytes.count < capacity else { return .failure(Errno(code: ENAMETOOLONG)) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.bytes.enumerated() { raw[index] = byte }
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Errno(code: errno)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let error = Errno(code: errno)
            Glibc.close(fd)
            return .failure(error)
        }
        return .success(fd)
    }

    func duplicate(_ fd: Int32) -> Result<Int32, Errno> {
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
        return copy >= 0 ? .success(copy) : .failure(Errno(code: errno))
    }

    func setBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    }

    func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Int, Errno> {
        retrying { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    func sync(_ fd: Int32) -> Result<Void, Errno> { retrying { Int(fsync(fd)) }.map { _ in } }

    func setPermissions(_ fd: Int32, _ permissions: UInt32) -> Result<Void, Errno> {
        fchmod(fd, permissions) == 0 ? .success(()) : .failure(Errno(code: errno))
    }

    func setOwner(_ fd: Int32, owner: UInt32, group: UInt32) {
        guard owner != geteuid() || group != getegid() else { return }
        _ = fchown(fd, owner, group)
    }

    func close(_ fd: Int32) -> Result<Void, Errno> {
        // Linux releases the descriptor even when close fails, so it is never retried.
        Glibc.close(fd) == 0 ? .success(()) : .failure(Errno(code: errno))
    }

    func rename(_ from: ReportPath, _ to: ReportPath) -> Result<Void, Errno> {
        let result = from.withCString { old in to.withCString { new in Glibc.rename(old, new) } }
        return result == 0 ? .success(()) : .failure(Errno(code: errno))
    }

    func remove(_ path: ReportPath) { _ = path.withCString { unlink($0) } }

    func syncDirectory(_ path: ReportPath) {
        let fd = path.withCString { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }

    // fflush(NULL) flushes every stdio stream: the `stdout` global is off-limits under strict concurrency.
    func flushStandardOutput() { fflush(nil) }

    func pause(milliseconds: Int) { usleep(UInt32(milliseconds) * 1000) }

    private func retrying(_ call: () -> Int) -> Result<Int, Errno> {
        while true {
            let result = call()
            if result >= 0 { return .success(result) }
            if errno != EINTR { return .failure(Errno(code: errno)) }
        }
    }

    private func retrying(_ call: () -> Int32) -> Result<Int, Errno> { retrying { Int(call()) } }
}

extension FileStatus {
    init(_ info: stat) {
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        case S_IFLNK: .symbolicLink
        default: .other
        }
        self.init(kind: kind, device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
                  permissions: UInt32(info.st_mode & 0o7777), owner: info.st_uid, group: info.st_gid,
                  deviceNumber: UInt64(info.st_rdev))
    }
}

extension Errno: CustomStringConvertible {
    var description: String { String(cString: strerror(code)) }
}
