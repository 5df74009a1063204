import Glibc

/// A failed system call's errno as a value: the engine switches on these instead of raw integers.
struct Errno: Error, Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    var rawValue: CInt

    init(rawValue: CInt) { self.rawValue = rawValue }

    static let interrupted = Errno(rawValue: EINTR)
    static let wouldBlock = Errno(rawValue: EAGAIN)
    static let inProgress = Errno(rawValue: EINPROGRESS)
    static let alreadyInProgress = Errno(rawValue: EALREADY)
    static let connectionRefused = Errno(rawValue: ECONNREFUSED)
    static let connectionReset = Errno(rawValue: ECONNRESET)
    static let timedOut = Errno(rawValue: ETIMEDOUT)
    static let networkUnreachable = Errno(rawValue: ENETUNREACH)
    static let networkDown = Errno(rawValue: ENETDOWN)
    static let hostUnreachable = Errno(rawValue: EHOSTUNREACH)
    static let hostDown = Errno(rawValue: EHOSTDOWN)
    static let notOnNetwork = Errno(rawValue: ENONET)
    static let protocolOptionUnavailable = Errno(rawValue: ENOPROTOOPT)
    static let accessDenied = Errno(rawValue: EACCES)
    static let notPermitted = Errno(rawValue: EPERM)
    static let addressNotAvailable = Errno(rawValue: EADDRNOTAVAIL)
    static let noBufferSpace = Errno(rawValue: ENOBUFS)
    static let noMemory = Errno(rawValue: ENOMEM)
    static let tooManyOpenFiles = Errno(rawValue: EMFILE)
    static let tooManyOpenFilesInSystem = Errno(rawValue: ENFILE)
    static let addressFamilyNotSupported = Errno(rawValue: EAFNOSUPPORT)
    static let badDescriptor = Errno(rawValue: EBADF)
    static let invalidArgument = Errno(rawValue: EINVAL)

    /// Failures that say "this machine is short of something right now", never anything about the
    /// target: the probe is put back and tried later.
    var isLocalShortage: Bool {
        switch self {
        case .addressNotAvailable, .wouldBlock, .noBufferSpace, .noMemory,
             .tooManyOpenFiles, .tooManyOpenFilesInSystem: true
        default: false
        }
    }

    var description: String { "\(message) (errno \(rawValue))" }

    /// The typed engine error for a call that failed for good.
    func scanError(_ call: String) -> ScanError {
        .system(call: call, errno: rawValue, message: message)
    }
}
