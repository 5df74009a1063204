import Foundation
import Glibc

/// The programs the testbed drives and whether this process may drive them.
enum TestbedTools {
    /// PATH first, then the sbin directories a non-login root shell may lack. For python3 the
    /// distribution's own comes first: the responder needs only the standard library, and a version
    /// manager's shim may depend on environment variables a CI run does not have.
    static func path(of tool: String) -> String? {
        if tool == "python3", access("/usr/bin/python3", X_OK) == 0 { return "/usr/bin/python3" }
        let searched = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin", "/bin"]
        return searched.lazy.map { $0 + "/" + tool }.first { access($0, X_OK) == 0 }
    }

    static func require(_ tool: String) throws(TestbedError) -> String {
        guard let found = path(of: tool) else { throw .toolMissing(tool) }
        return found
    }

    static var isRoot: Bool { geteuid() == 0 }

    /// Namespaces need root; the target side needs nftables and python3 for its services.
    static var canBuildTestbed: Bool {
        isRoot && ["ip", "nft", "python3"].allSatisfy { path(of: $0) != nil }
    }
}
