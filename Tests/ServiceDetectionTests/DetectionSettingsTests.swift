import PortgridCore
import Testing
@testable import ServiceDetection

@Suite("Detection settings and pacing")
struct DetectionSettingsTests {
    @Test("the timing template scales nmap's waits: full at -T3, a fifth at -T4, a tenth at -T5, never below the floor")
    func waits() {
        #expect(DetectionSettings(timing: .template(3)).wait(forMilliseconds: 6_000) == .seconds(6))
        #expect(DetectionSettings(timing: .template(4)).wait(forMilliseconds: 6_000) == .milliseconds(1_200))
        #expect(DetectionSettings(timing: .template(5)).wait(forMilliseconds: 6_000) == .milliseconds(600))
        #expect(DetectionSettings(timing: .template(4)).wait(forMilliseconds: 1_000) == .seconds(1))
        #expect(DetectionSettings(timing: .template(4)).parallelism > DetectionSettings(timing: .template(2)).parallelism)
    }

    @Test("a slow host's measured round trip stretches the quiet gap, the shortest wait and the connect deadline")
    func roundTrip() {
        let base = DetectionSettings(timing: .template(4))
        let slow = base.forRoundTrip(.milliseconds(400))
        #expect(slow.quietGap == .milliseconds(3_200))
        #expect(slow.wait(forMilliseconds: 1_000) == .milliseconds(1_600))
        #expect(slow.connectTimeout >= .seconds(4))
        #expect(base.forRoundTrip(nil) == base)
        #expect(base.forRoundTrip(.microseconds(50)) == base, "a LAN round trip changes nothing")
    }

    @Test("the pacer spaces connections to --max-rate")
    func pacer() {
        let pacer = ConnectPacer(maxRate: 50)
        let started = ContinuousClock.now
        for _ in 0..<6 { pacer.waitForTurn() }
        // Six turns at 50/s: the first at once, five more 20 ms apart.
        // A lower bound only: load can make the turns later, never earlier.
        #expect(ContinuousClock.now - started >= .milliseconds(95))
    }
}
