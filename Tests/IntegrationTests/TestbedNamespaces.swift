import Foundation
import Glibc

/// Network namespaces the testbed makes. Every name is `pg-<role>-<pid>-<n>`: the pid of the process
/// that owns it, so runs at once never collide and a crashed run's leftovers (owner gone) can be told
/// from a live run's and removed. Benchmarks/testbed/testbed.sh uses the same scheme.
enum TestbedNamespaces {
    /// The roles of namespaces made by the testbed (Swift and bash); nothing else is ever removed.
    static let roles = ["scan", "tgt", "seal", "bscan", "btgt"]

    static func name(role: String, run: Int) -> String { "pg-\(role)-\(getpid())-\(run)" }

    /// The pid encoded in one of our names; nil for any namespace that is not ours.
    static func owner(of name: String) -> pid_t? {
        let parts = name.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0] == "pg", roles.contains(String(parts[1])),
              let pid = pid_t(parts[2]), pid > 0, Int(parts[3]) != nil else { return nil }
        return pid
    }

    /// Removes our namespaces whose owner process is gone (a run that crashed before its teardown).
    static func removeStale() {
        guard let listing = try? TestbedCommand.run(["ip", "netns", "list"]) else { return }
        for line in listing.stdout.split(separator: "\n") {
            guard let name = line.split(separator: " ").first.map(String.init),
                  let pid = owner(of: name), kill(pid, 0) != 0, errno == ESRCH else { continue }
            delete(name)
        }
    }

    static func create(_ name: String) throws(TestbedError) {
        try TestbedCommand.run(["ip", "netns", "add", name])
        try TestbedCommand.run(["ip", "-n", name, "link", "set", "lo", "up"])
    }

    /// Best effort, never throws: runs on teardown paths. Processes still inside (only ever ones the
    /// testbed started there) are ended first, by pid, or the namespace would outlive its name.
    static func delete(_ name: String) {
        if let pids = try? TestbedCommand.run(["ip", "netns", "pids", name], check: false) {
            for pid in pids.stdout.split(separator: "\n").compactMap({ pid_t($0) }) { kill(pid, SIGKILL) }
        }
        _ = try? TestbedCommand.run(["ip", "netns", "del", name], check: false)
    }

    /// Refuses a namespace with a default route, IPv4 or IPv6: packets from it could leave the testbed.
    static func requireNoDefaultRoute(_ name: String) throws(TestbedError) {
        for family in ["-4", "-6"] {
            let routes = try TestbedCommand.run(["ip", family, "-n", name, "route", "show", "default"])
            guard routes.stdout.allSatisfy(\.isWhitespace) else { throw .defaultRoute(name) }
        }
    }

    /// A namespace with nothing but `lo`: whatever runs in it can reach no other machine. The CLI tests
    /// run the binary there, so even a spec wrongly accepted could never send a packet anywhere.
    static func withSealed<T>(_ body: (String) async throws -> T) async throws -> T {
        let name = self.name(role: "seal", run: TestbedSequence.next())
        defer { delete(name) }
        try create(name)
        try requireNoDefaultRoute(name)
        return try await body(name)
    }
}
