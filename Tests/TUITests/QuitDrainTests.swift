import Testing
@testable import TUI

/// After a quit the loop waits for the terminal and the cancelled scan, each within its limit, so
/// neither can keep the session from writing its results.
struct QuitDrainTests {
    let quit = ContinuousClock.now

    @Test("the wait ends as soon as the terminal is given back and the scan has sent its last event")
    func endsWhenBothAreDone() {
        var drain = QuitDrain(quitAt: quit, terminalOpen: true, scanOpen: true)
        #expect(!drain.isOver(at: quit + .milliseconds(10)))
        drain.terminalOpen = false
        #expect(!drain.isOver(at: quit + .milliseconds(10)), "the scan's last results are still on their way")
        drain.scanOpen = false
        #expect(drain.isOver(at: quit + .milliseconds(10)))
    }

    @Test("a scan that never finishes is waited for two seconds, once the terminal is back")
    func aSilentScanIsWaitedForTwoSeconds() {
        let drain = QuitDrain(quitAt: quit, terminalOpen: false, scanOpen: true)
        #expect(!drain.isOver(at: quit + .seconds(1.9)))
        #expect(drain.isOver(at: quit + .seconds(2.1)))
    }

    @Test("a terminal thread that never gives the terminal back is waited for five seconds, then the results are written anyway")
    func aStuckTerminalIsWaitedForFiveSeconds() {
        let drain = QuitDrain(quitAt: quit, terminalOpen: true, scanOpen: false)
        #expect(!drain.isOver(at: quit + .seconds(4.9)))
        #expect(drain.isOver(at: quit + .seconds(5.1)))
        let both = QuitDrain(quitAt: quit, terminalOpen: true, scanOpen: true)
        #expect(!both.isOver(at: quit + .seconds(3)), "the scan's limit passed, the terminal's not yet")
        #expect(both.isOver(at: quit + .seconds(5.1)))
    }
}
