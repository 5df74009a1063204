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
        // Numbers: each refused before use, naming the flag, the value and the range (issue 10).
        BadInput(arguments: ["--host-timeout", "1e300", "127.0.0.1"], mentions: ["--host-timeout", "1e300", "1000h"]),
        BadInput(arguments: ["--host-timeout", "99999999999999h", "127.0.0.1"], mentions: ["--host-timeout", "99999999999999h"]),
        BadInput(arguments: ["-sT", "--max-rate", "1e-12", "127.0.0.1"], mentions: ["--max-rate", "1e-12", "0.001"]),
        BadInput(arguments: ["-T-1", "127.0.0.1"], mentions: ["-T", "-1"]),
        BadInput(arguments: ["--max-rate", "-5", "127.0.0.1"], mentions: ["--max-rate", "-5"]),
        BadInput(arguments: ["--max-retries", "99", "127.0.0.1"], mentions: ["--max-retries", "99", "0 to 50"]),
        BadInput(arguments: ["-sn", "-p", "80", "127.0.0.1"], mentions: ["-sn", "-p"]),
        BadInput(arguments: ["--exclude", "", "127.0.0.1"], mentions: ["--exclude"]),
        BadInput(arguments: ["--exclude", ",", "127.0.0.1"], mentions: ["--exclude"]),
        BadInput(arguments: ["-oJ", "", "127.0.0.1"], mentions: ["-oJ"]),
        BadInput(arguments: ["-oJ", "same", "-oX", "same", "127.0.0.1"], mentions: ["same"]),
        BadInput(arguments: ["-oN", "-", "-oJ", "-", "127.0.0.1"], mentions: ["standard output"]),
        // Issue 13: nmap's flags, checked like the rest; those not supported yet are refused, never ignored.
        BadInput(arguments: ["-iL", "/nonexistent/hosts", "127.0.0.1"], mentions: ["-iL", "/nonexistent/hosts"]),
        BadInput(arguments: ["--excludefile", "/nonexistent/skip", "127.0.0.1"], mentions: ["--excludefile"]),
        BadInput(arguments: ["--exclude-ports", "x", "127.0.0.1"], mentions: ["x"]),
        BadInput(arguments: ["-F", "-p", "22", "127.0.0.1"], mentions: ["-F", "-p"]),
        BadInput(arguments: ["-6", "127.0.0.1"], mentions: ["-6", "127.0.0.1"]),
        BadInput(arguments: ["-PS99999", "127.0.0.1"], mentions: ["-PS"]),
        BadInput(arguments: ["-PU99999", "127.0.0.1"], mentions: ["-PU"]),
        BadInput(arguments: ["-PP", "-6", "::1"], mentions: ["-PP", "-6"]),
        BadInput(arguments: ["-PP", "2001:2::5"], mentions: ["-PP", "2001:2::5"]),
        BadInput(arguments: ["--min-parallelism", "0", "127.0.0.1"], mentions: ["--min-parallelism", "0"]),
        BadInput(arguments: ["--max-rtt-timeout", "soon", "127.0.0.1"], mentions: ["--max-rtt-timeout", "soon"]),
        BadInput(arguments: ["--scan-delay", "1x", "127.0.0.1"], mentions: ["--scan-delay", "1x"]),
        BadInput(arguments: ["--rate", "0", "127.0.0.1"], mentions: ["--max-rate", "0"]),
        BadInput(arguments: ["--ttl", "256", "127.0.0.1"], mentions: ["--ttl", "256"]),
        BadInput(arguments: ["-g", "0", "127.0.0.1"], mentions: ["-g"]),
        BadInput(arguments: ["-e", "no-such-if0", "127.0.0.1"], mentions: ["-e", "no-such-if0"]),
        // No frame reaches loopback: --send-eth is refused for it, and with its opposite.
        BadInput(arguments: ["--send-eth", "127.0.0.1"], mentions: ["--send-eth", "127.0.0.1"]),
        BadInput(arguments: ["--send-eth", "-e", "lo", "127.0.0.1"], mentions: ["--send-eth", "lo"]),
        BadInput(arguments: ["--send-eth", "--send-ip", "127.0.0.1"], mentions: ["--send-eth", "--send-ip"]),
        BadInput(arguments: ["-sT", "-Pn", "--send-ip", "127.0.0.1"], mentions: ["--send-ip", "-sT"]),
        BadInput(arguments: ["-S", "198.18.0.x", "127.0.0.1"], mentions: ["-S", "198.18.0.x"]),
        BadInput(arguments: ["-sT", "--badsum", "127.0.0.1"], mentions: ["--badsum"]),
        BadInput(arguments: ["--max-hostgroup", "0", "127.0.0.1"], mentions: ["--max-hostgroup", "0"]),
        BadInput(arguments: ["--min-hostgroup", "9", "--max-hostgroup", "8", "127.0.0.1"], mentions: ["--min-hostgroup", "8"]),
        BadInput(arguments: ["--max-hostgroup", "8", "--shard", "1/2", "--seed", "1", "127.0.0.1"],
                 mentions: ["--max-hostgroup", "--shard"]),
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
