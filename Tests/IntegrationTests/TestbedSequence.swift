import Synchronization

/// Numbers unique within this test process: with the pid they name namespaces and scratch files, so
/// tests running at once (here or in another `swift test`) never share one.
enum TestbedSequence {
    private static let counter = Atomic<Int>(0)

    static func next() -> Int { counter.wrappingAdd(1, ordering: .relaxed).newValue }
}
