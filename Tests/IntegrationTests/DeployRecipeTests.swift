import Foundation
import Testing

/// The fan-out recipes in deploy/: the Kubernetes Indexed Job (validated against the Kubernetes
/// schemas offline, and rendered to check its index-to-shard mapping and its merge step), and the
/// GNU parallel script run for real on the testbed (with ":" as the machine, so no ssh).
@Suite("fan-out recipes in deploy/")
struct DeployRecipeTests {
    static let deploy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("deploy").path
    static let manifests = ["portgrid-shards.yaml", "portgrid-merge.yaml"].map { deploy + "/kubernetes/" + $0 }

    /// Runs a tool found on PATH (the Python that CI's pip installs into), offline when root can make
    /// a network namespace with no interfaces.
    static func run(_ argv: [String], offline: Bool = false) throws -> CommandOutput {
        let sealed = offline && TestbedTools.isRoot && TestbedTools.path(of: "unshare") != nil ? ["unshare", "-n"] : []
        return try TestbedCommand.run(sealed + ["env"] + argv, timeout: .seconds(120), check: false)
    }

    @Test("the Kubernetes manifests validate against the Kubernetes schemas with no network (kubernetes-validate --strict)")
    func manifestsValidateOffline() throws {
        let result = try Self.run(["kubernetes-validate", "--strict"] + Self.manifests, offline: true)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.components(separatedBy: " passed for resource ").count - 1 == 3, "\(result.stdout)")
    }

    @Test("rendered, each completion index maps to a distinct shard of one seed and the merge waits for every shard")
    func manifestsMapIndicesToShards() throws {
        let result = try Self.run(["python3", Self.deploy + "/kubernetes/check_manifests.py"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("4 completion indices map to shards 1..4/4"), "\(result.stdout)")
    }

    @Test("the GNU parallel recipe, run in the scanner namespace, merges 3 shards to what one run finds",
          .needsTestbed, .enabled(if: TestbedTools.path(of: "parallel") != nil, "needs GNU parallel"))
    func parallelRecipe() async throws {
        let binary = try TestbedBinary.require()
        try await Testbed.with(.sweep) { bed in
            let scratch = ShardScratch()
            defer { scratch.remove() }
            let scan = ["-sT", "-Pn", "-n", "-T4", "-p", "22,80,1000,7000,23", "198.18.0.2-4"]
            let single = try await bed.scan(scan + ["--seed", "11"])
            let script = Self.deploy + "/parallel/portgrid-shards.sh"
            let path = URL(fileURLWithPath: binary).deletingLastPathComponent().path + ":/usr/local/bin:/usr/bin:/bin"
            let quoted = scan.map { "'\($0)'" }.joined(separator: " ")
            let recipe = try await TestbedCommand.output(
                ["ip", "netns", "exec", bed.scanner, "env", "PATH=" + path, "HOME=" + scratch.path, "sh", "-c",
                 "cd '\(scratch.path)' && sh '\(script)' -n 3 -s 11 -S : -o merged -- \(quoted)"],
                timeout: .seconds(120))
            #expect(recipe.status == 0, "\(recipe.stderr)")
            for index in 1...3 {
                #expect(FileManager.default.fileExists(atPath: scratch.file("shard-\(index)-of-3.json")))
            }
            let merged = try ShardOutcome(json: scratch.read("merged.json"))
            let whole = try ShardOutcome(json: single.stdout)
            #expect(!whole.ports.isEmpty)
            #expect(merged.ports == whole.ports, "recipe: \(merged)\nsingle: \(whole)")
        }
    }
}
