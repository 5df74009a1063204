/// What the event loop still waits for after a quit, and until when: the terminal given back (its
/// thread leaves curses within a key poll, 10 ms) and the cancelled scan's last results. Neither
/// may hold the results hostage: past its limit the loop goes on to write them. Without a limit on
/// the terminal, a terminal thread stuck on its pty (one that stops reading) would keep the session
/// from ever writing its report.
struct QuitDrain {
    /// How long the cancelled scan's last results are waited for.
    static let scanLimit = Duration.seconds(2)
    /// How long the terminal thread is waited for.
    static let terminalLimit = Duration.seconds(5)

    let quitAt: ContinuousClock.Instant
    var terminalOpen: Bool
    var scanOpen: Bool

    /// Whether the loop stops waiting at `now`.
    func isOver(at now: ContinuousClock.Instant) -> Bool {
        let waited = now - quitAt
        let terminalDone = !terminalOpen || waited > Self.terminalLimit
        let scanDone = !scanOpen || waited > Self.scanLimit
        return terminalDone && scanDone
    }
}
