import Foundation
import Testing

/// `portgrid merge`, `view` and `--resume` from the command line, on shard reports of 127.0.0.1
/// (loopback only: the shards scan nothing else).
@Suite("merge, view and resume on the command line")
struct MergeCLITests {
    static let scan = ["-sT", "-Pn", "-n", "-p", "1-40", "--seed", "3", "--no-tui", "127.0.0.1"]

    static func portgrid(_ arguments: [String]) throws -> CommandOutput {
        try TestbedCommand.run([try TestbedBinary.require()] + arguments, timeout: .seconds(60), check: false)
    }

    /// Shard reports of one loopback scan, shard I written as JSON when I is odd, XML when even.
    static func shards(_ count: Int, in scratch: ShardScratch) throws -> [String] {
        try (1...count).map { index in
            let file = scratch.file("shard-\(index).\(index % 2 == 1 ? "json" : "xml")")
            let run = try portgrid(scan + ["--shard", "\(index)/\(count)", index % 2 == 1 ? "-oJ" : "-oX", file])
            #expect(run.status == 0, "\(run.stderr)")
            return file
        }
    }

    @Test("merging JSON and XML shards gives every port once, in the format asked for")
    func mergeMixedFormats() throws {
        let scratch = ShardScratch()
        defer { scratch.remove() }
        let files = try Self.shards(3, in: scratch)
        let merged = try Self.portgrid(["merge", "-oJ", "-"] + files)
        #expect(merged.status == 0, "\(merged.stderr)")
        let outcome = try ShardOutcome(json: merged.stdout)
        #expect(outcome.ports.count == 40)
        #expect(!outcome.interrupted)
    }

    @Test("view prints the merged table and names the shards still missing")
    func viewNamesMissingShards() throws {
        let scratch = ShardScratch()
        defer { scratch.remove() }
        let files = try Self.shards(3, in: scratch)
        let all = try Self.portgrid(["view"] + files)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(all.stdout.contains("40 closed tcp ports"), "\(all.stdout)")
        #expect(!all.stdout.contains("missing"))
        let some = try Self.portgrid(["view", files[0], files[2]])
        #expect(some.status == 1)
        #expect(some.stdout.contains("shard 2/3 missing"), "\(some.stdout)")
    }

    /// Settings that change what a run finds or shows, each away from its default.
    static let settings = ["-r", "--open", "-PS22,2222", "-PA80", "-PU53", "-PE", "-PP", "--max-parallelism", "50",
                           "--min-parallelism", "5", "--initial-rtt-timeout", "300ms", "--min-rtt-timeout", "50ms",
                           "--max-rtt-timeout", "2s", "--scan-delay", "1ms", "--max-hostgroup", "4",
                           "--min-hostgroup", "2"]

    /// The request a JSON report on standard output carries, as the reader sees it.
    static func request(_ json: String) throws -> [String: Any] {
        let root = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(root["request"] as? [String: Any])
    }

    /// Two JSON values alike, compared as canonical JSON text (key order aside).
    static func same(_ a: Any?, _ b: Any?) throws -> Bool {
        func text(_ value: Any?) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: ["v": value ?? NSNull()], options: .sortedKeys),
                   as: UTF8.self)
        }
        return try text(a) == text(b)
    }

    @Test("a merged and a resumed run keep every setting of the scan: -r, --open, discovery probes, parallelism, RTT timeouts, scan delay, host groups")
    func mergeAndResumeKeepSettings() throws {
        let scratch = ShardScratch()
        defer { scratch.remove() }
        let file = scratch.file("run.json")
        // Discovery probes go to 127.0.0.1, which is up without one (localhost-response).
        let first = try Self.portgrid(["-sT", "-n", "-p", "1-40", "--seed", "3", "--no-tui", "127.0.0.1", "-oJ", file]
                                      + Self.settings)
        #expect(first.status == 0, "\(first.stderr)")
        let original = try Self.request(try String(contentsOfFile: file, encoding: .utf8))
        #expect(original["sequential"] as? Bool == true && original["open_only"] as? Bool == true)
        let discovery = try #require(original["discovery"] as? [String: Any])
        #expect(discovery["syn"] as? [Int] == [22, 2222] && discovery["udp"] as? [Int] == [53])
        #expect(discovery["timestamp"] as? Bool == true)
        #expect(original["max_hostgroup"] as? Int == 4 && original["min_parallelism"] as? Int == 5)
        #expect(original["scan_delay_ms"] as? Double == 1 && original["initial_rtt_timeout_ms"] as? Double == 300)

        let merged = try Self.portgrid(["merge", "-oJ", "-", file])
        #expect(merged.status == 0, "\(merged.stderr)")
        let mergedRequest = try Self.request(merged.stdout)
        for key in original.keys where key != "shard" {
            #expect(try Self.same(mergedRequest[key], original[key]), "merge dropped \(key)")
        }
        // The same report, marked interrupted, resumed: the request written back is the first run's.
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let interrupted = scratch.write("interrupted.json", text.replacingOccurrences(of: "\"interrupted\": false",
                                                                                        with: "\"interrupted\": true"))
        let resumed = try Self.portgrid(["--resume", interrupted, "-oJ", "-"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let resumedRequest = try Self.request(resumed.stdout)
        for key in original.keys {
            #expect(try Self.same(resumedRequest[key], original[key]), "resume dropped \(key)")
        }
    }

    @Test("merge and view answer --help with their own usage")
    func subcommandHelp() throws {
        for name in ["merge", "view"] {
            let help = try Self.portgrid([name, "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: portgrid \(name)"), "\(help.stdout)")
        }
    }

    @Test("--resume of a finished scan says so and exits 0; with a target it is refused in one line")
    func resumeFinishedOrContradicted() throws {
        let scratch = ShardScratch()
        defer { scratch.remove() }
        let report = scratch.file("done.json")
        #expect(try Self.portgrid(Self.scan + ["-oJ", report]).status == 0)
        let resumed = try Self.portgrid(["--resume", report])
        #expect(resumed.status == 0)
        #expect(resumed.stdout.contains("finished scan: nothing to resume"), "\(resumed.stdout)")
        let contradicted = try Self.portgrid(["--resume", report, "127.0.0.1"])
        #expect(contradicted.status == 64)
        #expect(contradicted.stderr.split(separator: "\n").count == 1 && contradicted.stderr.contains("targets"))
    }
}
