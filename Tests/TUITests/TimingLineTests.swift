import PortgridCore
import Testing
@testable import TUI

/// `T`: the running scan's timing flags on a line, in the command line's spellings, applied to the
/// running scan on Enter (parallelism, RTT timeouts, rates, retries, delays), refused in one sentence
/// when a word is wrong.
@Suite struct TimingLineTests {
    @Test("T opens the timing line with the flags of what runs, and Enter applies typed flags to the running scan")
    func timingLineAppliesToTheRunningScan() {
        var state = Fixture.midScan()
        #expect(Fixture.press([.char("4"), .char("T")], &state) == [.setTiming(TimingProfile.template(4))])
        #expect(state.input?.purpose == .timing)
        #expect(state.input?.string == "-T4")
        _ = Fixture.type(" --max-parallelism 50 --max-rtt-timeout=200ms --min-rate 300", &state)
        let effects = Fixture.press([.enter], &state)
        var expected = TimingProfile.template(4)
        expected.maxParallelism = 50
        expected.maxRTTTimeout = .milliseconds(200)
        expected.initialRTTTimeout = .milliseconds(200) // kept inside the new ceiling, as nmap does
        expected.minRate = 300
        #expect(effects == [.setTiming(expected)])
        #expect(state.input == nil)
        #expect(state.request.timing == expected)
        #expect(state.scan.id == 1, "applied to the running scan, not restarted")
        #expect(state.message?.text == "timing -T4 --max-parallelism 50 --initial-rtt-timeout 200ms --max-rtt-timeout 200ms --min-rate 300, applied to the running scan")
        // The header says the template no longer runs as it stands.
        var screen = MemoryScreen(cols: 80, rows: 24)
        Renderer.render(state, on: &screen)
        #expect(screen.row(0).contains("T4 aggressive, tuned"), "\(screen.row(0))")
        // Opening it again shows what now runs.
        _ = Fixture.press([.char("T")], &state)
        #expect(state.input?.string == "-T4 --max-parallelism 50 --initial-rtt-timeout 200ms --max-rtt-timeout 200ms --min-rate 300")
        _ = Fixture.press([.escape], &state)
        // Once the scan is over, a change is for the next one, and the line says so.
        state.scan.phase = .finished(.completed)
        _ = Fixture.press([.char("T"), .ctrl("u")], &state)
        _ = Fixture.type("-T5", &state)
        #expect(Fixture.press([.enter], &state) == [.setTiming(TimingProfile.template(5))])
        #expect(state.message?.text == "timing -T5, for the next scan (R rescans)")
        screen = MemoryScreen(cols: 80, rows: 24)
        Renderer.render(state, on: &screen)
        #expect(screen.row(0).contains("T5 insane") && !screen.row(0).contains("tuned"), "\(screen.row(0))")
    }

    @Test("a bad word or value keeps the line open with the command line's sentence and changes nothing")
    func badTimingLineIsRefused() {
        var state = Fixture.midScan()
        let before = state.request.timing
        _ = Fixture.press([.char("T"), .ctrl("u")], &state)
        _ = Fixture.type("--max-rtt-timeout 5x", &state)
        #expect(Fixture.press([.enter], &state).isEmpty)
        #expect(state.input?.error == "invalid --max-rtt-timeout '5x': use a number with ms, s, m or h (500ms, 30s, 5m, 2h) from 1ms to 1000h")
        _ = Fixture.press([.ctrl("u")], &state)
        _ = Fixture.type("--max-rtt-timeout 50ms", &state)
        #expect(Fixture.press([.enter], &state).isEmpty)
        #expect(state.input?.error == "invalid --max-rtt-timeout '50ms': it is below --min-rtt-timeout 100ms")
        _ = Fixture.press([.ctrl("u")], &state)
        _ = Fixture.type("--fast 3", &state)
        #expect(Fixture.press([.enter], &state).isEmpty)
        #expect(state.input?.error?.hasPrefix("'--fast' is not a timing flag with its value") == true)
        _ = Fixture.press([.ctrl("u")], &state)
        _ = Fixture.type("--min-rate 500 --max-rate 100", &state)
        #expect(Fixture.press([.enter], &state).isEmpty)
        #expect(state.input?.error == "invalid --min-rate '500': it is above --max-rate 100")
        #expect(state.request.timing == before)
        // As on the command line, parallelism bounds the connect engine only.
        state.request.technique = .syn
        _ = Fixture.press([.ctrl("u")], &state)
        _ = Fixture.type("--max-parallelism 50", &state)
        #expect(Fixture.press([.enter], &state).isEmpty)
        #expect(state.input?.error == "invalid --max-parallelism '50': it bounds connect scans (-sT) only; -sS paces by --min-rate and --max-rate")
        #expect(state.request.timing == before)
        _ = Fixture.press([.escape], &state)
        #expect(state.input == nil)
        #expect(state.request.timing == before)
    }

    @Test("every profile the line shows reads back to the same profile")
    func describedFlagsReadBack() throws {
        var profiles = (0...5).map(TimingProfile.template)
        var custom = TimingProfile.template(2)
        custom.maxParallelism = 8
        custom.minParallelism = 3
        custom.scanDelay = .microseconds(1500)
        custom.hostTimeout = nil
        custom.maxRetries = 0
        custom.maxRate = 0.5
        profiles.append(custom)
        var fast = TimingProfile.template(5)
        fast.hostTimeout = nil
        fast.minRTTTimeout = .milliseconds(5)
        profiles.append(fast)
        for profile in profiles {
            let line = TimingFlags(describing: profile).line
            #expect(try TimingFlags(parsing: line).profile() == profile, "\(line)")
        }
    }

    @Test("help lists the timing line, and a read-only view's help lists no key that would change a scan")
    func helpOffersOnlyWhatWorks() {
        #expect(KeyTable.helpLines().contains { $0.keys == "T" && $0.text.hasPrefix("edit timing flags: --min-rate, RTT timeouts, parallelism") })
        let viewing = KeyTable.helpLines(viewing: true)
        for key in ["T", "0-5", "+", "-", "r", "P", "s", "Space", "R", "V"] {
            #expect(!viewing.contains { $0.keys == key }, "\(key) in the viewing help")
        }
        #expect(viewing.contains { $0.keys == "q" } && viewing.contains { $0.keys == "v" })
        #expect(!viewing.contains { $0.text.hasPrefix("Technique") })
    }
}
