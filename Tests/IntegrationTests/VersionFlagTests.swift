import Testing

/// `-sV`'s flags: a bad or contradictory value is one line on stderr, nothing on stdout, exit 64,
/// before any probe (the binary runs in a sealed namespace where root allows it).
@Suite("-sV flags: bad values refused with exit 64")
struct VersionFlagTests {
    static let cases: [(arguments: [String], mentions: String)] = [
        (["-sV", "--version-intensity", "10", "127.0.0.1"], "10"),
        (["-sV", "--version-intensity", "-1", "127.0.0.1"], "version-intensity"),
        (["-sV", "--version-intensity", "x", "127.0.0.1"], "'x'"),
        (["-sV", "--version-light", "--version-all", "127.0.0.1"], "contradict"),
        (["-sV", "--version-intensity", "3", "--version-all", "127.0.0.1"], "contradicts"),
        (["--version-all", "127.0.0.1"], "need -sV"),
        (["-sV", "-sn", "127.0.0.1"], "-sn"),
    ]

    @Test("each bad -sV combination gives one line naming the problem and exit 64", arguments: cases.indices)
    func refused(_ index: Int) async throws {
        let (arguments, mentions) = Self.cases[index]
        let binary = try TestbedBinary.require()
        let sealed = TestbedTools.isRoot && TestbedTools.path(of: "ip") != nil
        let output = sealed
            ? try await TestbedNamespaces.withSealed { namespace in
                try await TestbedCommand.output(["ip", "netns", "exec", namespace, binary] + arguments + ["--no-tui"],
                                                timeout: .seconds(60))
            }
            : try await TestbedCommand.output([binary] + arguments + ["--no-tui"], timeout: .seconds(60))
        #expect(output.status == 64, "\(arguments): \(output.stderr)")
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.split(separator: "\n").count == 1 && output.stderr.contains(mentions), "\(output.stderr)")
    }
}
