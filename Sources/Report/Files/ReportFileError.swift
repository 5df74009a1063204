/// Why a report could not be opened or written, naming the file and the system's reason.
public enum ReportFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An empty file name (`-oJ ''`).
    case emptyPath
    /// Two outputs name one file (or one FIFO, one descriptor): the second would overwrite the first.
    case sameFile(String, String)
    /// Two documents asked for on standard output, which would then hold neither whole.
    case twiceOnStandardOutput(String, String)
    /// The path cannot be opened or checked (missing directory, no permission, a dangling descriptor).
    case open(path: String, reason: String)
    /// What is at the path is not something a report is written onto.
    case refused(path: String, why: String)
    /// The temporary file beside the target could not be created (directory missing, no permission, …).
    case create(path: String, reason: String)
    case write(path: String, reason: String)
    /// The data could not be flushed to the disk (fsync or close failed): the target is untouched.
    case sync(path: String, reason: String)
    /// The finished file could not replace the target (it is a directory, another filesystem, …).
    case replace(path: String, reason: String)
    case standardOutput(reason: String)

    /// The command line asked for something impossible, whatever the file system holds: exit 64.
    public var isUsageError: Bool {
        switch self {
        case .emptyPath, .sameFile, .twiceOnStandardOutput: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .emptyPath: "an output file name is empty"
        case .sameFile(let first, let second):
            first == second ? "two outputs are written to \(first): give each format its own file"
                : "\(first) and \(second) are the same file: give each format its own file"
        case .twiceOnStandardOutput(let first, let second):
            "\(first) and \(second) both write to standard output: only one document can go there"
        case .open(let path, let reason): "cannot open \(path) for writing: \(reason)"
        case .refused(let path, let why): "will not write a report to \(path): \(why)"
        case .create(let path, let reason): "cannot create a file beside \(path): \(reason)"
        case .write(let path, let reason): "cannot write \(path): \(reason)"
        case .sync(let path, let reason): "cannot flush \(path) to disk: \(reason)"
        case .replace(let path, let reason): "cannot replace \(path): \(reason)"
        case .standardOutput(let reason): "cannot write to standard output: \(reason)"
        }
    }
}
