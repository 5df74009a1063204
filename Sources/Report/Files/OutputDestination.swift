import Glibc

/// How one output path is written, decided before the scan from what is at the path (nmap's and
/// careful Unix tools' rules): a regular file, existing or new, is replaced atomically; anything
/// else is written in place and never renamed over. Symbolic links are followed to where they point.
enum OutputDestination: Equatable, Sendable {
    /// `-`.
    case standardOutput
    /// `/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N` (process substitution gives these): the open
    /// descriptor itself, so the text goes where the shell pointed it, at its current offset.
    case descriptor(Int32)
    /// A character device, a FIFO or a Unix socket: opened and written where it is.
    case inPlace(ReportPath, FileStatus.Kind)
    /// A regular file at this (link-resolved) path, replaced whole; `existing` is nil for a new file.
    case replace(ReportPath, existing: FileStatus?)
    /// `--append-output`: the same regular file, written at its end through a descriptor opened
    /// before the scan (nmap's `fopen(..., "a")`); never truncated, never renamed over.
    case append(ReportPath, existing: FileStatus?)

    /// Symbolic links followed before giving up, as the kernel's own limit.
    static let linkLimit = 40

    static func resolve(_ path: ReportPath, _ fs: some FileSystem) throws(ReportFileError) -> OutputDestination {
        guard !path.isEmpty else { throw .emptyPath }
        if path.isStandardOutput { return .standardOutput }
        var current = path
        for _ in 0..<linkLimit {
            if let fd = descriptorNumber(current) { return .descriptor(fd) }
            switch fs.status(current, followingLinks: false) {
            case .failure(let error) where error.code == ENOENT:
                return try newFile(current, original: path, fs)
            case .failure(let error):
                throw .open(path: path.description, reason: error.description)
            case .success(let status) where status.kind == .symbolicLink:
                switch fs.readLink(current) {
                case .success(let target): current = current.split.directory.appending(target)
                case .failure(let error): throw .open(path: path.description, reason: error.description)
                }
            case .success(let status):
                return try existing(current, status, original: path)
            }
        }
        throw .open(path: path.description, reason: Errno(code: ELOOP).description)
    }

    private static func existing(_ path: ReportPath, _ status: FileStatus, original: ReportPath) throws(ReportFileError) -> OutputDestination {
        switch status.kind {
        case .regular: return .replace(path, existing: status)
        case .characterDevice, .fifo, .socket: return .inPlace(path, status.kind)
        case .directory: throw .refused(path: original.description, why: "it is a directory")
        case .blockDevice: throw .refused(path: original.description, why: "it is a block device (a disk); a report is never written onto one")
        case .symbolicLink, .other: throw .refused(path: original.description, why: "it is neither a file, a device, a FIFO nor a socket")
        }
    }

    /// A name that does not exist yet: its directory must.
    private static func newFile(_ path: ReportPath, original: ReportPath, _ fs: some FileSystem) throws(ReportFileError) -> OutputDestination {
        switch fs.status(path.split.directory, followingLinks: true) {
        case .success(let status) where status.kind == .directory: return .replace(path, existing: nil)
        case .success: throw .open(path: original.description, reason: Errno(code: ENOTDIR).description)
        case .failure(let error): throw .open(path: original.description, reason: error.description)
        }
    }

    /// The descriptor a path names by itself: `/dev/stdout` (1), `/dev/stderr` (2), `/dev/stdin` (0),
    /// `/dev/fd/N`, `/proc/self/fd/N`, `/proc/thread-self/fd/N` and `/proc/<our pid>/fd/N`.
    static func descriptorNumber(_ path: ReportPath) -> Int32? {
        guard let text = String(validating: path.bytes, as: UTF8.self) else { return nil }
        switch text {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default: break
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: true)
        let prefix: [Substring]
        switch parts.count {
        case 3 where parts[0] == "dev" && parts[1] == "fd": prefix = []
        case 4 where parts[0] == "proc" && parts[2] == "fd": prefix = [parts[1]]
        default: return nil
        }
        if let owner = prefix.first, owner != "self", owner != "thread-self", owner != Substring(String(getpid())) {
            return nil
        }
        guard text.hasPrefix("/"), let last = parts.last, last.allSatisfy(\.isASCII),
              last.allSatisfy(\.isNumber), let number = Int32(last) else { return nil }
        return number
    }
}
