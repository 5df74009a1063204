import Foundation
import Testing

/// `--resume FILE` on the namespace testbed: a scan stopped by SIGINT and resumed (once, or
/// stopped again and resumed again) ends with the same ports, states and reasons as one
/// uninterrupted run.
@Suite("resume on the namespace testbed", .needsTestbed, .serialized)
struct ResumeTestbedTests {
    /// 1,500 ports at 300 probes a second: about five seconds to interrupt.
    static let scan = ["-sT", "-Pn", "-n", "-p", "1-1500", "--max-rate", "300", "--seed", "27182", "198.18.0.2"]

    @Test("interrupted at a random moment (three different ones, the last resumption interrupted too) and resumed, it equals an uninterrupted run",
          arguments: [(0.3...1.3, false), (1.6...2.8, false), (3.0...4.0, true)])
    func resumedEqualsUninterrupted(window: ClosedRange<Double>, interruptResumeToo: Bool) async throws {
        try await Testbed.with(.standard) { bed in
            let scratch = ShardScratch()
            defer { scratch.remove() }
            let uninterrupted = try await bed.scan(Array(Self.scan.dropLast(5)) + ["198.18.0.2"])
            #expect(uninterrupted.status == 0, "\(uninterrupted.summary)")
            let expected = try ShardOutcome(json: uninterrupted.stdout)
            let report = scratch.file("scan.json")

            let moment = Double.random(in: window)
            let first = try await bed.scanInterrupted(Self.scan + ["--no-tui", "-oJ", report], after: .seconds(moment))
            #expect(first == 130, "SIGINT at \(moment)s: exit \(first)")
            let partial = try ShardOutcome(json: scratch.read("scan.json"))
            #expect(partial.interrupted, "interrupted at \(moment)s but the report says complete")
            #expect(partial.ports.count < expected.ports.count, "interrupted at \(moment)s")

            if interruptResumeToo {
                let again = Double.random(in: 0.4...1.2)
                let second = try await bed.scanInterrupted(["--resume", report, "--no-tui"], after: .seconds(again))
                #expect(second == 130, "resume stopped at \(again)s: exit \(second)")
                let more = try ShardOutcome(json: scratch.read("scan.json"))
                #expect(more.interrupted)
                #expect(more.ports.count >= partial.ports.count, "a resumption lost results")
            }

            let resumed = try await bed.run(["--resume", report, "--no-tui"])
            #expect(resumed.status == 0, "resume after \(moment)s: \(resumed.stderr)")
            let final = try ShardOutcome(json: scratch.read("scan.json"))
            #expect(!final.interrupted)
            #expect(final.ports == expected.ports, "interrupted at \(moment)s\nresumed: \(final)\nwhole: \(expected)")

            let again = try await bed.run(["--resume", report, "--no-tui"])
            #expect(again.status == 0)
            #expect(again.stdout.contains("finished scan: nothing to resume"), "\(again.stdout)")
        }
    }
}
