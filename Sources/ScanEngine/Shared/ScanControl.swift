import Glibc
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
    /// The hostgroup handshake (`writesHostgroups`): groups said done, groups written.
    private let writesGroups = Atomic<Bool>(false)
    private let groupsDone = Atomic<Int>(0)
    private let groupsWritten = Atomic<Int>(0)

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

    /// The consumer writes each finished hostgroup out and lets it go (a headless run): the scan
    /// then waits at each group's end (`ScanEvent.hostgroupDone`) until the consumer says the group
    /// is written (`hostgroupWritten`). Otherwise the next group's probes and the last group's
    /// report hold memory at once: a /15 sweep peaked at their sum, 5 MB over a /16's. The wait
    /// costs the time a group's report takes to write. Without this call the scan never waits.
    public func writesHostgroups() { writesGroups.store(true, ordering: .releasing) }

    /// The consumer wrote (or chose to keep) the hosts of the oldest group said done and not written.
    public func hostgroupWritten() { groupsWritten.add(1, ordering: .releasing) }

    /// On the scan thread, after a group was said done: waits until the consumer has written every
    /// group said done so far, if it writes groups, and the scan is not cancelled. Polls: a group's
    /// end comes a few times a scan, and a millisecond is nothing beside a group's report.
    func waitForHostgroupWrite() {
        let done = groupsDone.add(1, ordering: .acquiringAndReleasing).newValue
        guard writesGroups.load(ordering: .acquiring) else { return }
        while groupsWritten.load(ordering: .acquiring) < done && !isCancelled { usleep(1_000) }
    }

    private func update(_ change: (inout Settings) -> Void) {
        settings.withLock { change(&$0) }
        generation.add(1, ordering: .releasing)
    }
}
