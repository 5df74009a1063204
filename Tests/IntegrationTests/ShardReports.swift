import Foundation
import Glibc
import Testing

/// A portgrid JSON report reduced to what merge and resume must preserve: each (host, protocol,
/// port) with its state and reason (folded extraports expanded by their port list), and each host
/// with its status.
struct ShardOutcome: Equatable, CustomStringConvertible {
    /// "198.18.0.2/tcp/22" -> "open syn-ack"
    var ports: [String: String] = [:]
    /// "198.18.0.2" -> "up"
    var hosts: [String: String] = [:]
    var interrupted = false

    init(json text: String) throws {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                                "not a JSON object: \(text.prefix(300))")
        interrupted = root["interrupted"] as? Bool ?? false
        for host in root["hosts"] as? [[String: Any]] ?? [] {
            let address = host["address"] as? String ?? "?"
            hosts[address] = host["status"] as? String
            for port in host["ports"] as? [[String: Any]] ?? [] {
                ports["\(address)/\(port["protocol"] ?? "")/\(port["port"] ?? "")"] =
                    "\(port["state"] ?? "") \(port["reason"] ?? "")"
            }
            for extra in host["extraports"] as? [[String: Any]] ?? [] {
                let list = try #require(extra["ports"] as? String, "extraports without a port list")
                for part in list.split(separator: ",") {
                    let bounds = part.split(separator: "-").compactMap { Int($0) }
                    for port in bounds[0]...(bounds.last ?? bounds[0]) {
                        ports["\(address)/\(extra["protocol"] ?? "")/\(port)"] = "\(extra["state"] ?? "") \(extra["reason"] ?? "")"
                    }
                }
            }
        }
    }

    var description: String {
        "hosts \(hosts.sorted { $0.key < $1.key }), \(ports.count) ports: "
            + ports.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }
}

/// A scratch directory for report files, removed afterwards.
struct ShardScratch {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "pg-shards-\(getpid())-\(TestbedSequence.next())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ text: String) -> String {
        _ = FileManager.default.createFile(atPath: file(name), contents: Data(text.utf8))
        return file(name)
    }

    func read(_ name: String) -> String {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension Testbed {
    /// Runs the binary in the scanner namespace and sends it SIGINT after `delay`, as Ctrl-C would.
    /// Returns its exit status (130 when the signal stopped it, 0 when it had already finished).
    func scanInterrupted(_ arguments: [String], after delay: Duration,
                         timeout: Duration = .seconds(120)) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestbedTools.require("ip"))
        // `ip netns exec` execs the command in place: the signal reaches portgrid itself.
        process.arguments = ["netns", "exec", scanner, try TestbedBinary.require()] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try? await Task.sleep(for: delay)
        if process.isRunning { process.interrupt() }
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                Issue.record("portgrid did not stop within \(timeout) of SIGINT")
                break
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Runs the binary in the scanner namespace with exactly `arguments` (no report flags added).
    func run(_ arguments: [String], timeout: Duration = .seconds(120)) async throws -> CommandOutput {
        try await TestbedCommand.output(["ip", "netns", "exec", scanner, try TestbedBinary.require()] + arguments,
                                        timeout: timeout)
    }
}
