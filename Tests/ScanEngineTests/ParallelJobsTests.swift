import Glibc
import Synchronization
import Testing
import Threads

@Suite("Jobs run side by side and waited for together")
struct ParallelJobsTests {
    @Test("every job runs, the first on the calling thread and each other on a thread of its own, and the results come back in the jobs' order")
    func jobsRunOnTheirOwnThreads() {
        let caller = pthread_self()
        let threads = Mutex<[Int: pthread_t]>([:])
        let jobs: [@Sendable () -> Int] = (0..<4).map { index in
            {
                threads.withLock { $0[index] = pthread_self() }
                return index * 10
            }
        }
        #expect(ParallelJobs.run(name: "pg-test-job", jobs) == [0, 10, 20, 30])
        let seen = threads.withLock { $0 }
        #expect(seen.count == 4)
        #expect(pthread_equal(seen[0]!, caller) != 0)
        for index in 1..<4 {
            #expect(pthread_equal(seen[index]!, caller) == 0, "job \(index) ran on the calling thread")
        }
    }

    @Test("the jobs run at once: two that each wait for the other both end")
    func jobsRunAtOnce() {
        let arrived = Mutex(0)
        let meet: @Sendable () -> Bool = {
            arrived.withLock { $0 += 1 }
            let deadline = ContinuousClock.now + .seconds(20)
            while arrived.withLock({ $0 }) < 2 && ContinuousClock.now < deadline { OSThread.sleep(for: .milliseconds(1)) }
            return arrived.withLock { $0 } == 2
        }
        #expect(ParallelJobs.run(name: "pg-test-meet", [meet, meet]) == [true, true])
    }

    @Test("the return waits for the slowest job, and a lone job runs on the calling thread")
    func theReturnWaitsForTheSlowest() {
        let ended = Mutex(false)
        let jobs: [@Sendable () -> String] = [{ "fast" }, {
            OSThread.sleep(for: .milliseconds(50))
            ended.withLock { $0 = true }
            return "slow"
        }]
        let results = ParallelJobs.run(name: "pg-test-slow", jobs)
        #expect(results == ["fast", "slow"])
        #expect(ended.withLock { $0 })
        #expect(ParallelJobs.run(name: "pg-test-none", [] as [@Sendable () -> Int]).isEmpty)
        let caller = pthread_self()
        let lone: [@Sendable () -> Bool] = [{ pthread_equal(pthread_self(), caller) != 0 }]
        #expect(ParallelJobs.run(name: "pg-test-one", lone) == [true])
    }
}
