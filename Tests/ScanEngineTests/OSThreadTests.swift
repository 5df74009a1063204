import Foundation
import Synchronization
import Testing
import Threads

@Suite("Threads of the system's own")
struct OSThreadTests {
    @Test("a started thread runs its work under the name it was given, cut to the kernel's 15 bytes")
    func threadRunsUnderItsName() async {
        let seen = Mutex<String?>(nil)
        let lock = ConditionLock()
        OSThread.start(name: "portgrid-test-thread-long-name") {
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            lock.withLock { seen.withLock { $0 = comm.trimmingCharacters(in: .newlines) } }
            lock.broadcast()
        }
        lock.lock()
        var waits = 0
        while seen.withLock({ $0 }) == nil && waits < 1_000 { lock.wait(); waits += 1 }
        lock.unlock()
        #expect(seen.withLock { $0 } == "portgrid-test-t")
    }

    @Test("a waiter on a condition lock wakes when another thread has made what it waits for")
    func conditionLockWakesTheWaiter() {
        let lock = ConditionLock()
        let made = Mutex(0)
        for index in 1...4 {
            OSThread.start(name: "maker-\(index)") {
                OSThread.sleep(for: .milliseconds(5))
                lock.withLock { made.withLock { $0 += 1 } }
                lock.broadcast()
            }
        }
        lock.lock()
        while made.withLock({ $0 }) < 4 { lock.wait() }
        lock.unlock()
        #expect(made.withLock { $0 } == 4)
    }

    @Test("a sleep lasts at least as long as asked")
    func sleepLastsItsDuration() {
        let start = ContinuousClock.now
        OSThread.sleep(for: .milliseconds(20))
        #expect(ContinuousClock.now - start >= .milliseconds(20))
        OSThread.sleep(for: .zero)
    }
}
