import Testing

/// Issue 2's bad-input contract: each malformed spec gives one line on stderr naming the bad token,
/// nothing on stdout, and exit 64. As root the binary runs in a sealed namespace (only `lo`), so even a
/// spec wrongly accepted could not send a packet anywhere; cases that name a non-loopback target only
/// run there.
@Suite("bad input: one line on stderr, exit 64")
struct CLIErrorTests {
    struct BadInput: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        /// Words the one line must contain (case-insensitive): the bad token, at least.
        var mentions: [String]

        var testDescription: String { "portgrid " + arguments.map { $0.isEmpty ? "''" : $0 }.joined(separator: " ") }
    }

    /// Every target here is 127.0.0.1: safe to run outside a namespace if the check were broken.
    static let loopbackCases = [
        BadInput(arguments: ["-p", "70000", "127.0.0.1"], mentions: ["70000"]),
        BadInput(arguments: ["-p", "5-1", "127.0.0.1"], mentions: ["5-1"]),
        BadInput(arguments: ["-T9", "127.0.0.1"], mentions: ["9", "timing"]),
        BadInput(arguments: ["--no-such-flag", "127.0.0.1"], mentions: ["no-such-flag"]),
        BadInput(arguments: ["-p", "", "127.0.0.1"], mentions: ["port"]),
    ]

    static let targetCases = [
        BadInput(arguments: ["300.1.1.1"], mentions: ["300.1.1.1"]),
        BadInput(arguments: ["198.18.0.0/33"], mentions: ["198.18.0.0/33"]),
        BadInput(arguments: [""], mentions: ["target"]),
    ]

    @Test("bad ports, timing and flags", arguments: loopbackCases)
    func loopbackSpecs(_ input: BadInput) async throws {
        try await check(input, sealed: TestbedTools.isRoot && TestbedTools.path(of: "ip") != nil)
    }

    @Test("bad and empty targets", .needsRoot, arguments: targetCases)
    func targetSpecs(_ input: BadInput) async throws {
        try await check(input, sealed: true)
    }

    private func check(_ input: BadInput, sealed: Bool) async throws {
        let binary = try TestbedBinary.require()
        let output: CommandOutput
        if sealed {
            output = try await TestbedNamespaces.withSealed { namespace in
                try await TestbedCommand.output(["ip", "netns", "exec", namespace, binary] + input.arguments,
                                                timeout: .seconds(60))
            }
        } else {
            output = try await TestbedCommand.output([binary] + input.arguments, timeout: .seconds(60))
        }
        #expect(output.status == 64, "exit status; stderr: \(output.stderr)")
        #expect(output.stdout.isEmpty, "stdout: \(output.stdout)")
        let lines = output.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty && !lines[0].isEmpty, "exactly one line on stderr: \(output.stderr)")
        for word in input.mentions {
            #expect(output.stderr.lowercased().contains(word.lowercased()), "stderr names '\(word)': \(output.stderr)")
        }
    }
}
