/// Work that runs side by side and is waited for together: the report's outputs, whose writing is
/// the last part of a large scan and used one core of several.
public enum ParallelJobs {
    /// Runs every job at once, the first on the calling thread and each other on a thread of its
    /// own named `name` (`OSThread`), and returns their results in the jobs' order when the last
    /// has ended. A job that never ends (a write blocked forever) holds the return, not the others.
    public static func run<Result: Sendable>(name: String, stackSize: Int? = nil,
                                             _ jobs: [@Sendable () -> Result]) -> [Result] {
        guard let first = jobs.first else { return [] }
        guard jobs.count > 1 else { return [first()] }
        let results = Results<Result>(count: jobs.count)
        for index in jobs.indices.dropFirst() {
            let job = jobs[index]
            OSThread.start(name: name, stackSize: stackSize) { results.set(index, job()) }
        }
        results.set(0, first())
        return results.waitForAll()
    }

    /// The jobs' results as they end, behind a condition the caller waits on.
    private final class Results<Result: Sendable>: @unchecked Sendable {
        private let lock = ConditionLock()
        // Guarded by `lock`.
        private var slots: [Result?]
        private var left: Int

        init(count: Int) {
            slots = Array(repeating: nil, count: count)
            left = count
        }

        func set(_ index: Int, _ result: Result) {
            lock.withLock {
                slots[index] = result
                left -= 1
            }
            lock.broadcast()
        }

        func waitForAll() -> [Result] {
            lock.lock()
            defer { lock.unlock() }
            while left > 0 { lock.wait() }
            return slots.map { $0! }
        }
    }
}
