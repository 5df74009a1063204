/// Why a report could not be written, naming the file and the system's reason.
public enum ReportFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The temporary file beside the target could not be created (directory missing, no permission, …).
    case create(path: String, reason: String)
    case write(path: String, reason: String)
    /// The data could not be flushed to the disk (fsync or close failed): the target is untouched.
    case sync(path: String, reason: String)
    /// The finished file could not replace the target (it is a directory, another filesystem, …).
    case replace(path: String, reason: String)
    case standardOutput(reason: String)

    public var description: String {
        switch self {
        case .create(let path, let reason): "cannot create a file beside \(path): \(reason)"
        case .write(let path, let reason): "cannot write \(path): \(reason)"
        case .sync(let path, let reason): "cannot flush \(path) to disk: \(reason)"
        case .replace(let path, let reason): "cannot replace \(path): \(reason)"
        case .standardOutput(let reason): "cannot write to standard output: \(reason)"
        }
    }
}
