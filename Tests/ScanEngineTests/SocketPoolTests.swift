import Glibc
import Testing
@testable import ScanEngine

/// The connect worker's socket pool on the fake syscall layer: it alone closes sockets, each once.
@Suite struct SocketPoolTests {
    @Test("every socket the pool opened is closed once at shutdown, whatever state it was left in")
    func shutdownClosesEverySocketOnce() throws {
        let network = FakeNetwork { _, _ in .drop }
        let pool = SocketPool(sockets: SocketOperations(system: network), family: AF_INET, stock: 16)
        pool.beginBurst(4)
        var handedOut: [SocketDescriptor] = []
        for _ in 0..<4 {
            let (socket, watched) = try #require(try pool.checkout(family: AF_INET))
            #expect(!watched, "a socket never used is not yet in the epoll set")
            handedOut.append(socket)
        }
        pool.endBurst()
        pool.release(handedOut[0], .reuse(mayHoldReports: false))
        pool.release(handedOut[1], .close)
        // handedOut[2] and [3] stay "in flight": the scan is cancelled with them out.
        pool.flush()
        #expect(network.openSockets > 0)
        pool.shutdown()
        pool.shutdown()
        #expect(network.openSockets == 0, "stock, spares, released and in-flight sockets are all closed")
        #expect(network.badCloses == 0, "none is closed twice")
    }

    @Test("a socket given back for reuse is handed out again, already watched")
    func aRefusedSocketIsReused() throws {
        let network = FakeNetwork { _, _ in .drop }
        let pool = SocketPool(sockets: SocketOperations(system: network), family: AF_INET, stock: nil)
        let (first, _) = try #require(try pool.checkout(family: AF_INET))
        pool.release(first, .reuse(mayHoldReports: true))
        let (again, watched) = try #require(try pool.checkout(family: AF_INET))
        #expect(again == first)
        #expect(watched)
        pool.release(again, .close)
        pool.shutdown()
        #expect(network.openSockets == 0)
        #expect(network.badCloses == 0)
    }

    @Test("with targets of two families nothing is reused: a socket given back for reuse is closed")
    func mixedFamiliesCloseInsteadOfReusing() throws {
        let network = FakeNetwork { _, _ in .drop }
        let pool = SocketPool(sockets: SocketOperations(system: network), family: nil, stock: nil)
        let (first, _) = try #require(try pool.checkout(family: AF_INET))
        pool.release(first, .reuse(mayHoldReports: false))
        let (second, watched) = try #require(try pool.checkout(family: AF_INET))
        #expect(!watched)
        pool.release(second, .close)
        pool.shutdown()
        #expect(network.openSockets == 0)
        #expect(network.badCloses == 0)
    }

    @Test("the pool never holds more descriptors than its budget: spares, released sockets and the closer's queue count too")
    func theBudgetBoundsEveryDescriptorHeld() throws {
        let network = FakeNetwork { _, _ in .drop }
        let budget = ProbeSocketBudget(limit: 6)
        // No stock: the supply fills on its own thread, and the count here must not depend on when.
        let pool = SocketPool(sockets: SocketOperations(system: network), family: AF_INET, stock: nil, budget: budget)
        var out: [SocketDescriptor] = []
        for _ in 0..<8 {
            guard let (socket, _) = try pool.checkout(family: AF_INET) else { break }
            out.append(socket)
        }
        // In flight, spare or waiting for the closer: never more than six at once.
        #expect(out.count == 6, "the seventh and eighth are refused like EMFILE")
        #expect(network.openSockets == 6)
        #expect(budget.openCount == network.openSockets)
        // Released sockets hold their descriptors until the closer has closed them.
        pool.release(out[0], .close)
        pool.release(out[1], .reuse(mayHoldReports: false))
        #expect(network.openSockets <= 6)
        let (again, watched) = try #require(try pool.checkout(family: AF_INET))
        #expect(again == out[1] && watched, "a spare is reused without opening anything")
        pool.flush()
        pool.shutdown()
        #expect(network.openSockets == 0)
        #expect(budget.openCount == 0, "every close gives its descriptor back to the budget")
        #expect(network.badCloses == 0)
    }
}
