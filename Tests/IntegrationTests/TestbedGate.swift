import Synchronization

/// One testbed at a time in this process. Swift Testing runs tests in parallel; namespaces would not
/// mind, but on a 2-core machine two scans at once starve each other of CPU, and a starved scanner can
/// mistake a late answer for none. Waiters suspend (never block a thread) and go in arrival order.
final class TestbedGate: Sendable {
    static let shared = TestbedGate()

    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enter = state.withLock { state -> Bool in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if enter { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }

    /// Runs `body` holding the gate; released on every path.
    func withTurn<T>(_ body: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await body()
    }
}
