import Glibc
import Synchronization
import PortgridCore
import Testing
@testable import ScanEngine

/// The connect engine on a scripted network and a manual clock: states, reasons, retries,
/// back-off, host timeout and cancellation, without a socket or a sleep.
@Suite struct ConnectEngineTests {
    let host = EngineRun.host

    @Test func eachKindOfAnswerGetsItsStateAndReason() async {
        let network = FakeNetwork { destination, _ in
            switch destination.port {
            case 22: .open(after: .milliseconds(3))
            case 23: .refuse(after: .milliseconds(2))
            // Linux reports ICMP port-unreachable as ECONNREFUSED, like a RST: only the error queue tells.
            case 24: .icmp(type: 3, code: 3, errno: ECONNREFUSED, after: .milliseconds(4))
            case 25: .icmp(type: 3, code: 13, errno: EHOSTUNREACH, after: .milliseconds(4))
            case 26: .icmp(type: 3, code: 10, errno: EHOSTUNREACH, after: .milliseconds(4))
            case 27: .icmp(type: 3, code: 9, errno: ENETUNREACH, after: .milliseconds(4))
            case 28: .fail(errno: ENETUNREACH, after: .milliseconds(1))
            case 29: .fail(errno: EHOSTUNREACH, after: .milliseconds(1))
            case 30: .immediate(errno: ENETUNREACH)
            case 31: .icmp(type: 11, code: 0, errno: EHOSTUNREACH, after: .milliseconds(4))
            default: .drop
            }
        }
        let run = await EngineRun.run(EngineRun.plan(ports: Array(22...32)), on: network)
        #expect(run.error == nil)
        let expected: [UInt16: (PortState, Reason)] = [
            22: (.open, .synAck), 23: (.closed, .connRefused), 24: (.filtered, .portUnreach),
            25: (.filtered, .adminProhibited), 26: (.filtered, .hostProhibited), 27: (.filtered, .netProhibited),
            28: (.filtered, .netUnreach), 29: (.filtered, .hostUnreach), 30: (.filtered, .netUnreach),
            31: (.filtered, .timeExceeded), 32: (.filtered, .noResponse),
        ]
        for (port, (state, reason)) in expected {
            let result = run.result(port)
            #expect(result?.state == state, "port \(port)")
            #expect(result?.reason == reason, "port \(port)")
            #expect(result?.technique == .connect)
        }
        #expect(run.results.count == 11)
        #expect(run.result(22)?.rtt == .milliseconds(3))
        #expect(network.openSockets == 0, "every socket closed")
        #expect(network.badCloses == 0)
    }

    @Test func ipv6TargetsUseTheirOwnFamilyAndICMPv6Codes() async {
        let v6 = IPAddress("2001:db8::5")!
        let network = FakeNetwork { destination, _ in
            #expect(destination.family == AF_INET6)
            return switch destination.port {
            case 80: .open(after: .milliseconds(1))
            case 81: .icmp(type: 1, code: 1, errno: EACCES, after: .milliseconds(1))
            case 82: .icmp(type: 1, code: 4, errno: ECONNREFUSED, after: .milliseconds(1))
            default: .refuse(after: .milliseconds(1))
            }
        }
        let run = await EngineRun.run(EngineRun.plan(hosts: [v6], ports: [80, 81, 82, 83]), on: network)
        #expect(run.result(80, host: v6)?.state == .open)
        #expect(run.result(81, host: v6)?.reason == .adminProhibited)
        #expect(run.result(82, host: v6)?.state == .filtered)
        #expect(run.result(82, host: v6)?.reason == .portUnreach)
        #expect(run.result(83, host: v6)?.state == .closed)
    }

    @Test func everyPortOfEveryHostGetsExactlyOneResult() async {
        let hosts = (1...3).map { IPAddress("198.18.0.\($0)")! }
        let network = FakeNetwork { destination, attempt in
            switch destination.port % 4 {
            case 0: .open(after: .milliseconds(2))
            case 1: .refuse(after: .milliseconds(1))
            case 2: attempt == 0 ? .drop : .refuse(after: .milliseconds(1))
            default: .drop
            }
        }
        let ports = Array(UInt16(1)...400)
        let run = await EngineRun.run(EngineRun.plan(hosts: hosts, ports: ports), on: network)
        #expect(run.results.count == hosts.count * ports.count)
        #expect(Set(run.results.map(\.key)).count == run.results.count, "no duplicates")
        #expect(run.completed == hosts.count * ports.count)
        #expect(run.progress.last?.completed == run.progress.last?.total)
        #expect(network.openSockets == 0)
    }

    @Test func aSilentPortIsSentTwiceUntilLossIsSeen() async {
        let network = FakeNetwork { _, _ in .drop }
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...50)), on: network)
        #expect(run.results.allSatisfy { $0.state == .filtered && $0.reason == .noResponse })
        for port in UInt16(1)...50 {
            #expect(network.attempts(SocketAddress(host, port: port)) == 2)
        }
        #expect(run.probesSent == 100)
        // Without any RTT sample every try waits the initial timeout (1 s at T3), all in parallel.
        #expect(network.elapsed >= .seconds(2))
        #expect(network.elapsed < .seconds(3))
    }

    @Test func anAnsweredRetransmissionRaisesTheRetriesForLaterPorts() async {
        // One port at a time, so "before" and "after" the evidence of loss are well defined.
        let lossy: UInt16 = 9
        let network = FakeNetwork { destination, attempt in
            destination.port == lossy && attempt == 0 ? .drop
                : destination.port == lossy ? .open(after: .milliseconds(5)) : .drop
        }
        let plan = EngineRun.plan(ports: Array(1...20), timing: EngineRun.timing(retries: 4, parallelism: 1))
        let run = await EngineRun.run(plan, on: network)
        #expect(run.result(lossy)?.state == .open)
        let order = network.connectOrder.map(\.port)
        let split = order.firstIndex(of: lossy)!
        for port in order[..<split] { #expect(network.attempts(SocketAddress(host, port: port)) == 2) }
        // Loss on try 2 allows 2 retries from then on (nmap: highest answered try + 1).
        for port in order[(split + 1)...] { #expect(network.attempts(SocketAddress(host, port: port)) == 3) }
    }

    @Test func maxRetriesZeroSendsOnce() async {
        let network = FakeNetwork { _, _ in .drop }
        let run = await EngineRun.run(EngineRun.plan(ports: [1, 2, 3], timing: EngineRun.timing(retries: 0)), on: network)
        #expect(run.probesSent == 3)
        #expect(run.results.count == 3)
    }

    @Test func theTimeoutFollowsTheHostsMeasuredLatency() async {
        // Closed ports answer in 2 ms, so silent ones are given up after the profile's floor
        // (100 ms at T3), not the 1 s initial timeout.
        let network = FakeNetwork { destination, _ in
            destination.port <= 200 ? .refuse(after: .milliseconds(2)) : .drop
        }
        let plan = EngineRun.plan(ports: Array(1...205), timing: EngineRun.timing(parallelism: 1))
        let run = await EngineRun.run(plan, on: network)
        #expect(run.results.count == 205)
        let dropped = network.connectOrder.filter { $0.port > 200 }
        #expect(dropped.count == 5)
        // 200 × 2 ms + 5 ports × 2 tries × ~100 ms, well under one 1 s initial timeout per try.
        #expect(network.elapsed < .milliseconds(2_000))
    }

    @Test func refusedSocketsCarryTheNextProbes() async {
        // 2,000 closed ports through a window of 8: refused sockets are disconnected and reused, so
        // the kernel is asked for a handful of sockets, not 2,000. Anything else gets a fresh one.
        let network = FakeNetwork { destination, _ in
            switch destination.port {
            case 7: .open(after: .milliseconds(1))
            case 8: .icmp(type: 3, code: 13, errno: EHOSTUNREACH, after: .milliseconds(1))
            case 9: .icmp(type: 3, code: 3, errno: ECONNREFUSED, after: .milliseconds(1))
            case 10: .drop
            default: .refuse(after: .milliseconds(1))
            }
        }
        let plan = EngineRun.plan(ports: Array(1...2_000), timing: EngineRun.timing(parallelism: 8))
        let run = await EngineRun.run(plan, on: network)
        #expect(run.results.count == 2_000)
        #expect(run.result(7)?.state == .open)
        #expect(run.result(8)?.state == .filtered)
        #expect(run.result(8)?.reason == .adminProhibited)
        #expect(run.result(9)?.state == .filtered, "an ICMP refusal is never mistaken for a RST")
        #expect(run.result(10)?.state == .filtered)
        #expect(run.results.filter { $0.state == .closed }.count == 1_996)
        // Each refusal is read by a second connect(), which disconnects the socket too: no getsockopt
        // and no connect(AF_UNSPEC) for a closed port. Only the dropped port's socket needs one.
        #expect(network.reaped > 1_900)
        #expect(network.disconnects < 5, "\(network.disconnects) disconnects")
        // The stock of pre-opened sockets (a few dozen here) is most of what is opened at all.
        #expect(network.socketsOpened < 250, "opened \(network.socketsOpened) sockets")
        #expect(network.openSockets == 0, "every socket closed at the end")
        #expect(network.badCloses == 0)
    }

    @Test("a refusal whose reading connect() is interrupted is read through SO_ERROR: still closed/conn-refused, and its socket disconnected before reuse")
    func anInterruptedReadingFallsBackToSOError() async {
        let network = FakeNetwork { _, _ in .refuse(after: .milliseconds(1)) }
        network.interruptNextReaps(5)
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...20), timing: EngineRun.timing(parallelism: 1)),
                                      on: network)
        #expect(run.results.count == 20)
        #expect(run.results.allSatisfy { $0.state == .closed && $0.reason == .connRefused })
        // The five read through SO_ERROR were still connected to their port: disconnected before reuse.
        #expect(network.disconnects >= 5, "\(network.disconnects) disconnects")
        #expect(network.reaped >= 14)
        #expect(network.openSockets == 0 && network.badCloses == 0)
    }

    @Test func aSilentSocketIsReusedWithoutItsLateICMPReport() async {
        // The first connect is given up after 1 s; its ICMP error lands at 1.2 s, while the socket
        // waits for reuse (the rate lets the second probe go only at 2 s). The reused socket's
        // error queue must be emptied, or the refused port would read as administratively filtered.
        let connects = Mutex(0)
        let network = FakeNetwork { _, _ in
            let n = connects.withLock { count in
                defer { count += 1 }
                return count
            }
            return n == 0 ? .icmp(type: 3, code: 13, errno: EHOSTUNREACH, after: .milliseconds(1_200))
                : .refuse(after: .milliseconds(1))
        }
        let plan = EngineRun.plan(ports: [1, 2], timing: EngineRun.timing(retries: 0, maxRate: 0.5))
        let run = await EngineRun.run(plan, on: network)
        let first = network.connectOrder[0].port, second = network.connectOrder[1].port
        #expect(run.result(first)?.state == .filtered)
        #expect(run.result(first)?.reason == .noResponse)
        #expect(run.result(second)?.state == .closed)
        #expect(run.result(second)?.reason == .connRefused)
        #expect(network.socketsOpened == 1, "the silent socket carried the second probe")
        #expect(network.disconnects == 1)
    }

    @Test func probesSentBeforeTheFirstAnswerFollowTheRoundTripItShows() async {
        // All 50 go out in the first burst, before any round trip is known, so each is given the
        // 1 s initial timeout. The first answer (1 ms) brings the dropped port's deadline forward:
        // retransmitted after ~10 ms, filtered 100 ms later, not after 1 s + 100 ms.
        let network = FakeNetwork { destination, _ in
            destination.port == 50 ? .drop : .refuse(after: .milliseconds(1))
        }
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...50)), on: network)
        #expect(run.result(50)?.state == .filtered)
        #expect(network.attempts(SocketAddress(host, port: 50)) == 2)
        #expect(network.elapsed < .milliseconds(300), "took \(network.elapsed)")
    }

    @Test func anEarlyRetransmissionsAnswerDoesNotShrinkTheWindow() async {
        // One port in ten answers its first try after 30 ms, past the ~10 ms retransmit wait, so it
        // is sent again and the second try is answered. That proves no loss: the window stays at
        // the 64 allowed (about 100 ms on this scripted network; halving it on each such answer,
        // as for a real loss, takes 180 ms).
        let network = FakeNetwork { destination, attempt in
            destination.port % 10 == 0 && attempt == 0 ? .refuse(after: .milliseconds(30)) : .refuse(after: .milliseconds(1))
        }
        let plan = EngineRun.plan(ports: Array(1...3_000), timing: EngineRun.timing(parallelism: 64))
        let run = await EngineRun.run(plan, on: network)
        #expect(run.results.count == 3_000)
        #expect(run.results.allSatisfy { $0.state == .closed })
        #expect(network.elapsed < .milliseconds(140), "took \(network.elapsed)")
    }

    @Test func aRetransmissionGoesOutBeforeTheVerdictsFloor() async {
        // Closed ports answer in 1 ms, so a dropped port's first try is retransmitted after a
        // tenth of the 100 ms floor; its last try still gets the full 100 ms before "filtered".
        let network = FakeNetwork { destination, _ in
            destination.port == 50 ? .drop : .refuse(after: .milliseconds(1))
        }
        let plan = EngineRun.plan(ports: Array(1...50), timing: EngineRun.timing(parallelism: 1))
        let run = await EngineRun.run(plan, on: network)
        #expect(run.result(50)?.state == .filtered)
        #expect(network.attempts(SocketAddress(host, port: 50)) == 2)
        // 49 × 1 ms answered + ~10 ms before the retry + 100 ms for the last try.
        #expect(network.elapsed >= .milliseconds(100) + .milliseconds(10))
        #expect(network.elapsed < .milliseconds(200), "took \(network.elapsed)")
    }

    @Test func runningOutOfEphemeralPortsBacksOffWithoutWrongStates() async {
        let network = FakeNetwork { destination, _ in
            destination.port.isMultiple(of: 2) ? .open(after: .milliseconds(1)) : .refuse(after: .milliseconds(1))
        }
        network.failNextConnects(25)
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...40)), on: network)
        #expect(run.results.count == 40)
        for result in run.results {
            #expect(result.state == (result.port.isMultiple(of: 2) ? .open : .closed))
        }
        #expect(run.probesSent == 40, "a connect the kernel refused to start is not a probe")
        #expect(network.openSockets == 0)
    }

    @Test func runningOutOfDescriptorsShrinksTheWindow() async {
        let network = FakeNetwork { _, _ in .refuse(after: .milliseconds(5)) }
        network.capDescriptors(20)
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...300)), on: network)
        #expect(run.results.count == 300)
        #expect(run.results.allSatisfy { $0.state == .closed })
        #expect(network.maxOpen <= 20)
    }

    @Test func aSelfConnectIsTriedAgainNotCalledOpen() async {
        let network = FakeNetwork { destination, attempt in
            destination.port == 45000 && attempt == 0 ? .selfConnect(after: .milliseconds(1)) : .refuse(after: .milliseconds(1))
        }
        let run = await EngineRun.run(EngineRun.plan(ports: [45000, 45001]), on: network)
        #expect(run.result(45000)?.state == .closed)
        #expect(network.attempts(SocketAddress(host, port: 45000)) == 2)
    }

    @Test func connectedSocketsAreClosedWithReset() async {
        let network = FakeNetwork { destination, _ in
            destination.port < 3 ? .open(after: .milliseconds(1)) : .refuse(after: .milliseconds(1))
        }
        let run = await EngineRun.run(EngineRun.plan(ports: [1, 2, 3]), on: network)
        #expect(run.results.filter { $0.state == .open }.count == 2)
        #expect(network.connectedClosedWithoutReset == 0, "SO_LINGER {1, 0} before closing a connection")
        #expect(network.openSockets == 0)
    }

    @Test func aHostPastItsTimeoutIsDroppedAndAccountedFor() async {
        let network = FakeNetwork { _, _ in .drop }
        let plan = EngineRun.plan(ports: Array(1...100),
                                  timing: EngineRun.timing(parallelism: 2, hostTimeout: .seconds(5)))
        let run = await EngineRun.run(plan, on: network)
        #expect(run.results.count < 100)
        #expect(run.completed == 100, "unscanned ports still count as done for progress")
        #expect(run.notices.contains { $0.message.contains("timed out") })
        #expect(network.elapsed < .seconds(7))
        #expect(network.openSockets == 0)
    }

    @Test func maxRateSpacesTheProbes() async {
        let network = FakeNetwork { _, _ in .refuse(after: .microseconds(100)) }
        let plan = EngineRun.plan(ports: Array(1...50), timing: EngineRun.timing(maxRate: 100))
        let run = await EngineRun.run(plan, on: network)
        #expect(run.results.count == 50)
        #expect(network.elapsed >= .milliseconds(450), "50 probes at 100/s take about half a second")
    }

    @Test func cancellingStopsSendingAndClosesEverything() async {
        let network = FakeNetwork { _, _ in .drop }
        let control = ScanControl(timing: EngineRun.timing())
        onThread {
            poll { network.connects >= 100 }
            control.cancel()
        }
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...5000)), on: network, control: control)
        #expect(run.error == nil)
        #expect(run.results.count < 5000)
        #expect(network.openSockets == 0, "in-flight sockets are closed on cancel")
        #expect(network.badCloses == 0)
    }

    @Test func pausingHoldsNewProbesUntilResumed() async {
        let network = FakeNetwork { _, _ in .refuse(after: .milliseconds(1)) }
        let control = ScanControl(timing: EngineRun.timing())
        control.setPaused(true)
        let sentWhilePaused = Mutex(-1)
        onThread {
            poll { network.elapsed >= .seconds(1) }
            sentWhilePaused.withLock { $0 = network.connects }
            control.setPaused(false)
        }
        let run = await EngineRun.run(EngineRun.plan(ports: Array(1...10)), on: network, control: control)
        #expect(sentWhilePaused.withLock { $0 } == 0, "nothing is sent while paused")
        #expect(run.results.count == 10)
    }
}
