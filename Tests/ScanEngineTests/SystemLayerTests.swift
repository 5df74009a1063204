import Glibc
import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct SocketAddressTests {
    @Test func ipv4RoundTripsInNetworkByteOrder() {
        let address = SocketAddress(IPAddress("198.18.1.2")!, port: 8080)
        address.withUnsafeBytes { raw in
            #expect(raw.count == MemoryLayout<sockaddr_in>.size)
            #expect(Array(raw[2..<8]) == [0x1F, 0x90, 198, 18, 1, 2])
            #expect(SocketAddress(raw) == address)
        }
        #expect(address.family == AF_INET)
        #expect(address.description == "198.18.1.2:8080")
    }

    @Test func ipv6RoundTrips() {
        let address = SocketAddress(IPAddress("2001:db8::42")!, port: 443)
        address.withUnsafeBytes { raw in
            #expect(raw.count == MemoryLayout<sockaddr_in6>.size)
            #expect(raw[8] == 0x20 && raw[9] == 0x01 && raw[23] == 0x42)
            #expect(SocketAddress(raw) == address)
        }
        #expect(address.description == "[2001:db8::42]:443")
    }

    @Test func otherFamiliesAndShortBuffersAreRejected() {
        var unix = sockaddr_un()
        unix.sun_family = sa_family_t(AF_UNIX)
        #expect(withUnsafeBytes(of: &unix) { SocketAddress($0) } == nil)
        #expect([UInt8(2), 0, 0].withUnsafeBytes { SocketAddress($0) } == nil)
    }
}

@Suite struct ScanMomentTests {
    @Test func anInstantComesBackFromItsMomentToTheNanosecond() {
        let origin = ScanOrigin(ContinuousClock.now)
        let later = origin.instant + .nanoseconds(1_234_567_891)
        #expect(origin.moment(later) == ScanMoment(nanoseconds: 1_234_567_891))
        #expect(origin.instant(origin.moment(later)) == later)
        #expect(origin.moment(origin.instant - .milliseconds(2)) == ScanMoment(nanoseconds: -2_000_000))
    }

    @Test func sumsAndDifferencesAreDurations() {
        let moment = ScanMoment(nanoseconds: 5_000)
        #expect(moment + .microseconds(3) == ScanMoment(nanoseconds: 8_000))
        #expect((moment + .seconds(2)) - moment == .seconds(2))
        #expect(ScanMoment(nanoseconds: 1_000) - moment == .nanoseconds(-4_000))
    }

    @Test func aSumPastTheRangeSaturatesInsteadOfTrapping() {
        #expect(ScanMoment(nanoseconds: .max - 10) + .seconds(1) == ScanMoment(nanoseconds: .max))
        #expect(ScanMoment(nanoseconds: .min + 10) + .seconds(-1) == ScanMoment(nanoseconds: .min))
        // A duration is read up to 31 years (`RTTEstimator.nanoseconds`): past any scan's deadline.
        #expect(ScanMoment(nanoseconds: 0) + .seconds(1_000_000_000_000) == ScanMoment(nanoseconds: 1_000_000_000_000_000_000))
    }
}

@Suite struct ProbeTableTests {
    let now = ScanMoment(nanoseconds: 0)

    func probe(_ port: UInt16) -> Probe { Probe(host: 0, port: port, attempt: 0) }

    @Test func findsByTokenOnce() {
        var table = ProbeTable()
        let entry = table.insert(probe(1), socket: SocketDescriptor(rawValue: 7), sentAt: now, deadline: now + .seconds(1))
        #expect(table.count == 1)
        #expect(table.remove(token: entry.token)?.probe.port == 1)
        #expect(table.remove(token: entry.token) == nil)
        #expect(table.isEmpty)
    }

    @Test func aReusedSocketAnswersForItsNewProbeOnly() {
        var table = ProbeTable()
        let old = table.insert(probe(1), socket: SocketDescriptor(rawValue: 7), sentAt: now, deadline: now + .seconds(1))
        _ = table.remove(token: old.token)
        #expect(table.remove(token: old.token) == nil, "a socket waiting for reuse has no probe")
        let new = table.insert(probe(2), socket: SocketDescriptor(rawValue: 7), sentAt: now, deadline: now + .seconds(2))
        #expect(new.token == old.token, "the socket's epoll word never changes")
        #expect(table.popExpired(now: now + .milliseconds(1500)) == nil, "the old deadline is stale")
        #expect(table.remove(token: new.token)?.probe.port == 2)
    }

    @Test func expiresInDeadlineOrder() {
        var table = ProbeTable()
        for (fd, ms) in [(5, 300), (6, 100), (7, 200)] {
            _ = table.insert(probe(UInt16(fd)), socket: SocketDescriptor(rawValue: CInt(fd)), sentAt: now,
                             deadline: now + .milliseconds(ms))
        }
        #expect(table.nextDeadline == now + .milliseconds(100))
        #expect(table.popExpired(now: now + .milliseconds(50)) == nil)
        #expect(table.popExpired(now: now + .milliseconds(250))?.probe.port == 6)
        #expect(table.popExpired(now: now + .milliseconds(250))?.probe.port == 7)
        #expect(table.popExpired(now: now + .milliseconds(250)) == nil)
        #expect(table.count == 1)
    }

    @Test func removesAHostsProbes() {
        var table = ProbeTable()
        _ = table.insert(Probe(host: 0, port: 1, attempt: 0), socket: SocketDescriptor(rawValue: 3), sentAt: now, deadline: now)
        _ = table.insert(Probe(host: 1, port: 1, attempt: 0), socket: SocketDescriptor(rawValue: 4), sentAt: now, deadline: now)
        let removed = table.removeAll { $0.probe.host == 1 }
        #expect(removed.map(\.socket.rawValue) == [4])
        #expect(table.count == 1)
    }
}

@Suite struct ResourceLimitTests {
    @Test func raisesTheSoftLimitToTheHardLimit() throws {
        let network = FakeNetwork { _, _ in .drop }
        #expect(ResourceLimits(system: network).raiseFileLimit() == 4096)
        let (soft, hard) = try network.fileLimit()
        #expect(soft == 4096 && hard == 4096)
    }

    @Test func neverBeyondWhatTheScanCanUse() {
        let network = FakeNetwork { _, _ in .drop }
        try? network.setFileLimit(soft: 1024, hard: 1 << 20)
        #expect(ResourceLimits(system: network).raiseFileLimit() == 65_536)
    }

    @Test func theRealLimitCanBeRaised() throws {
        let live = LiveSystem()
        let limit = ResourceLimits(system: live).raiseFileLimit()
        let (soft, hard) = try live.fileLimit()
        #expect(UInt64(limit) == soft)
        #expect(soft == min(hard, ResourceLimits.enoughDescriptors) || soft > ResourceLimits.enoughDescriptors)
    }
}

@Suite struct EpollTests {
    @Test func timeoutsRoundUpToWholeMilliseconds() {
        #expect(Epoll.milliseconds(.zero) == 0)
        #expect(Epoll.milliseconds(.microseconds(1)) == 1)
        #expect(Epoll.milliseconds(.milliseconds(10)) == 10)
        #expect(Epoll.milliseconds(.microseconds(10_001)) == 11)
        #expect(Epoll.milliseconds(.seconds(-1)) == 0)
    }

    @Test func theRealEpollReportsAConnectedLoopbackSocket() throws {
        let system = LiveSystem()
        let listener = try LoopbackListener(listening: true)
        let sockets = SocketOperations(system: system)
        let epoll = try Epoll(system: system)
        let socket = try sockets.openStream(family: AF_INET)
        defer { sockets.close(socket) }
        let done = try sockets.startConnect(socket, to: SocketAddress(IPAddress("127.0.0.1")!, port: listener.port))
        if !done { try epoll.add(socket, events: EpollEvent.writable, data: 99) }
        var seen: [EpollEvent] = []
        for _ in 0..<100 where seen.isEmpty && !done {
            try epoll.wait(timeout: .milliseconds(10)) { seen.append($0) }
        }
        #expect(done || seen.first?.data == 99)
        #expect(try sockets.pendingError(socket) == nil)
        #expect(sockets.localAddress(socket)?.host == IPAddress("127.0.0.1"))
    }
}

@Suite struct SocketOwnershipTests {
    @Test func anOwnedSocketClosesWhenItGoesAway() throws {
        let network = FakeNetwork { _, _ in .drop }
        let operations = SocketOperations(system: network)
        do {
            let socket = Socket(try operations.openStream(family: AF_INET), operations: operations)
            #expect(network.openSockets == 1)
            _ = socket.descriptor
        }
        #expect(network.openSockets == 0)
        #expect(network.badCloses == 0)
    }

    @Test func aReleasedSocketStaysOpenForItsNewOwner() throws {
        let network = FakeNetwork { _, _ in .drop }
        let operations = SocketOperations(system: network)
        let socket = Socket(try operations.openStream(family: AF_INET), operations: operations)
        let descriptor = socket.release()
        #expect(network.openSockets == 1)
        operations.close(descriptor)
        #expect(network.openSockets == 0)
    }

    @Test func connectOptionsReachTheKernel() throws {
        let network = FakeNetwork { _, _ in .open(after: .milliseconds(1)) }
        let operations = SocketOperations(system: network)
        let socket = try operations.openStream(family: AF_INET)
        try operations.setReceiveErrors(socket, family: AF_INET)
        try operations.setResetOnClose(socket)
        let done = try operations.startConnect(socket, to: SocketAddress(IPAddress("198.18.0.9")!, port: 80))
        #expect(!done, "a non-blocking connect is in progress, not an error")
        let state = network.state.withLock { $0.sockets[socket.rawValue] }
        #expect(state?.receivesErrors == true)
        #expect(state?.lingersWithReset == true)
        operations.close(socket)
    }
}
