/// Why a scan could not run: each says in one line what the user can do about it.
public enum ScanError: Error, Equatable, Sendable, CustomStringConvertible {
    case resolutionFailed(String, why: String)
    case noTargets
    case needsPrivilege(String)
    case system(call: String, errno: Int32, message: String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .resolutionFailed(let name, let why): "failed to resolve '\(name)': \(why)"
        case .noTargets: "no targets left to scan (all excluded or unresolved)"
        case .needsPrivilege(let what): "\(what) needs root or CAP_NET_RAW: run with sudo, or use -sT"
        case .system(let call, let errno, let message): "\(call) failed: \(message) (errno \(errno))"
        case .unsupported(let what): what
        }
    }
}
