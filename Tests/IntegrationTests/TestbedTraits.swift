import Testing

extension Trait where Self == ConditionTrait {
    /// Namespace tests: skipped, saying why, where root or the tools are missing (CI has them all).
    static var needsTestbed: Self { .enabled(if: Testbed.isAvailable, Comment(rawValue: Testbed.requirement)) }

    /// Tests that only need a sealed namespace (root and ip).
    static var needsRoot: Self {
        .enabled(if: TestbedTools.isRoot && TestbedTools.path(of: "ip") != nil, "needs root and ip (iproute2)")
    }
}
