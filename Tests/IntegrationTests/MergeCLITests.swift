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
