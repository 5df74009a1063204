import Foundation
import Testing

/// `--shard I/N` on the namespace testbed: N shards run side by side in the scanner namespace scan
/// disjoint parts of the scan, and `portgrid merge` of their reports equals one run over the whole.
@Suite("shards and merge on the namespace testbed", .needsTestbed, .serialized)
struct ShardTestbedTests {
    /// Per technique: the flags and the targets.
    static let scans: [(name: String, flags: [String], targets: String)] = [
        // With discovery: the shards' order covers every target, the ones found down skipped.
        ("connect", ["-sT", "-p", "22,80,1000,1001,7000,23,25"], TestbedLayout.sweepRange),
        ("SYN", ["-sS", "-Pn", "-p", "22,80,1000,1001,7000,23,25"], "198.18.0.2-4"),
        ("UDP", ["-sU", "-Pn", "-p", "53,123,6000,6100,6200,6300,6301"], "198.18.0.2-4"),
        ("ping sweep", ["-sn"], TestbedLayout.sweepRange),
    ]

    @Test("for N = 2, 3 and 7, shards run side by side are disjoint and merge to a single run's ports, states and reasons",
          arguments: 0..<4)
    func shardsMergeToOneRun(scan: Int) async throws {
        let (name, flags, targets) = Self.scans[scan]
        let common = flags + ["-n", "-T4", "--seed", "314159", targets]
        let binary = try TestbedBinary.require()
        try await Testbed.with(.sweep) { bed in
            let single = try await bed.scan(common)
            #expect(single.status == 0, "\(single.summary)")
            let whole = try ShardOutcome(json: single.stdout)
            #expect(!whole.hosts.isEmpty, "\(name): the single run found nothing: \(single.summary)")
            for count in [2, 3, 7] {
                let scratch = ShardScratch()
                defer { scratch.remove() }
                let prefix = ["ip", "netns", "exec", bed.scanner, binary]
                let runs = try await withThrowingTaskGroup(of: (Int, TestbedRun).self) { group in
                    for index in 1...count {
                        let argv = prefix + common + ["--shard", "\(index)/\(count)", "--no-tui", "-oJ", "-"]
                        group.addTask { (index, TestbedRun(output: try await TestbedCommand.output(argv, timeout: .seconds(120)))) }
                    }
                    return try await group.reduce(into: [Int: TestbedRun]()) { $0[$1.0] = $1.1 }
                }
                var files: [String] = [], owner: [String: Int] = [:]
                for index in 1...count {
                    let run = try #require(runs[index])
                    #expect(run.status == 0, "\(name) shard \(index)/\(count): \(run.summary)")
                    let outcome = try ShardOutcome(json: run.stdout)
                    // A ping sweep's work items are hosts, a port scan's (host, port) pairs.
                    for key in name == "ping sweep" ? Array(outcome.hosts.keys) : Array(outcome.ports.keys) {
                        if let first = owner.updateValue(index, forKey: key) {
                            Issue.record("\(name): \(key) scanned by shards \(first) and \(index) of \(count)")
                        }
                    }
                    files.append(scratch.write("shard-\(index).json", run.stdout))
                }
                let merge = try TestbedCommand.run([binary, "merge", "-oJ", "-"] + files.shuffled(), check: false)
                #expect(merge.status == 0, "\(name) N=\(count) merge: \(merge.stderr)")
                let merged = try ShardOutcome(json: merge.stdout)
                #expect(merged.ports == whole.ports, "\(name) N=\(count)\nmerged: \(merged)\nsingle: \(whole)")
                #expect(merged.hosts.filter { $0.value == "up" } == whole.hosts.filter { $0.value == "up" },
                        "\(name) N=\(count)")
                #expect(Set(owner.keys) == Set(name == "ping sweep" ? Array(whole.hosts.keys) : Array(whole.ports.keys)),
                        "\(name) N=\(count): the shards together do not cover the single run")
            }
        }
    }

    @Test("a merge lacking a shard names it and exits 1; reports of another scan are refused in one line")
    func incompleteAndMismatchedMerges() async throws {
        let binary = try TestbedBinary.require()
        try await Testbed.with(.sweep) { bed in
            let scratch = ShardScratch()
            defer { scratch.remove() }
            let common = ["-sT", "-Pn", "-n", "-p", "22,80,23", "198.18.0.2"]
            let first = try await bed.scan(common + ["--seed", "5", "--shard", "1/3"])
            let third = try await bed.scan(common + ["--seed", "5", "--shard", "3/3"])
            let other = try await bed.scan(common + ["--seed", "6", "--shard", "2/3"])
            let files = [first, third, other].enumerated().map { scratch.write("s\($0.offset).json", $0.element.stdout) }
            let partial = try TestbedCommand.run([binary, "merge", files[0], files[1]], check: false)
            #expect(partial.status == 1)
            #expect(partial.stderr.contains("shard 2/3 missing"), "\(partial.stderr)")
            let mixed = try TestbedCommand.run([binary, "merge", files[0], files[2]], check: false)
            #expect(mixed.status == 1)
            #expect(mixed.stderr.split(separator: "\n").count == 1 && mixed.stderr.contains("seed"), "\(mixed.stderr)")
            let noSeed = try await bed.scan(common + ["--shard", "1/2"])
            #expect(noSeed.status == 64)
            #expect(noSeed.stderr.split(separator: "\n").count == 1 && noSeed.stderr.contains("--seed"), "\(noSeed.stderr)")
        }
    }
}
