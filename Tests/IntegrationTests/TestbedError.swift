/// Why the testbed could not do what a test asked. Each case carries what a person needs to see in the
/// test log to fix it: the command line, its status, the tail of what it printed.
enum TestbedError: Error, CustomStringConvertible {
    case toolMissing(String)
    case binaryMissing(String)
    case launchFailed([String], String)
    case commandFailed([String], status: Int32, stderr: String)
    case timedOut([String], after: Duration, stderr: String)
    case responderNotReady(String)
    case defaultRoute(String)
    /// A veth end the kernel never marked operational (IPv6 would not start on it).
    case linkNotReady(String)
    case reportUnreadable(String, text: String)
    /// A kernel counter the test reads was not where it should be.
    case counterMissing(String, shown: String)

    var description: String {
        switch self {
        case .toolMissing(let tool):
            "'\(tool)' is not installed (apt-get install -y iproute2 nftables python3)"
        case .binaryMissing(let path):
            "the portgrid binary is not at \(path); build it (swift build) or set PORTGRID_BINARY"
        case .launchFailed(let argv, let why):
            "could not start \(argv.joined(separator: " ")): \(why)"
        case .commandFailed(let argv, let status, let stderr):
            "\(argv.joined(separator: " ")) exited \(status): \(Self.tail(stderr))"
        case .timedOut(let argv, let after, let stderr):
            "\(argv.joined(separator: " ")) still running after \(after), killed: \(Self.tail(stderr))"
        case .responderNotReady(let log):
            "the target's responder did not come up: \(Self.tail(log))"
        case .linkNotReady(let shown):
            "the testbed link did not become operational within 5 s: \(Self.tail(shown))"
        case .defaultRoute(let namespace):
            "namespace \(namespace) has a default route; refusing to send anything from it"
        case .reportUnreadable(let why, let text):
            "the JSON report is unreadable (\(why)): \(Self.tail(text))"
        case .counterMissing(let name, let shown):
            "no counter \(name) in the scanner namespace's /proc/net/netstat: \(Self.tail(shown))"
        }
    }

    /// The end of a long output: where the error message usually is.
    static func tail(_ text: String, limit: Int = 1_500) -> String {
        text.count <= limit ? text : "…" + String(text.suffix(limit))
    }
}
