import Threads
import FoundationEssentials
import PortgridCore

/// Spaces probe connections so detection obeys `--max-rate` (connections per second across the pool).
final class ConnectPacer: @unchecked Sendable {
    private let interval: Duration?
    private let lock = ConditionLock()
    private var next = ContinuousClock.now

    init(maxRate: Double?) {
        interval = maxRate.flatMap { $0 > 0 ? .nanoseconds(Int64(1e9 / $0)) : nil }
    }

    func waitForTurn() {
        guard let interval else { return }
        lock.lock()
        let now = ContinuousClock.now
        let slot = max(now, next)
        next = slot + interval
        lock.unlock()
        let delay = now.duration(to: slot)
        OSThread.sleep(for: delay)
    }
}
