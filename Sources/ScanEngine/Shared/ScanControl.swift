import PortgridCore
import Synchronization

/// The knobs a running scan reads on every loop: the TUI turns them (timing, rate, pause) without
/// restarting the scan, and cancellation reaches the prober thread within one loop turn.
public final class ScanControl: Sendable {
    public struct Settings: Sendable, Equatable {
        public var timing: TimingProfile
        public var paused: Bool
    }

    private let settings: Mutex<Settings>
    private let cancelled = Atomic<Bool>(false)
    /// Bumped on every change so hot loops can skip re-reading unchanged settings.
    private let generation = Atomic<Int>(0)

    public init(timing: TimingProfile = .normal) {
        settings = Mutex(Settings(timing: timing, paused: false))
    }

    public var current: Settings { settings.withLock { $0 } }
    public var version: Int { generation.load(ordering: .acquiring) }

    public func setTiming(_ timing: TimingProfile) { update { $0.timing = timing } }
    public func setMaxRate(_ rate: Double?) { update { $0.timing.maxRate = rate } }
    public func setPaused(_ paused: Bool) { update { $0.paused = paused } }

    public func cancel() { cancelled.store(true, ordering: .releasing) }
    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    private func update(_ change: (inout Settings) -> Void) {
        settings.withLock { change(&$0) }
        generation.add(1, ordering: .releasing)
    }
}
