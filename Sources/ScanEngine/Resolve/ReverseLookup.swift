import Dispatch
import Threads
import FoundationEssentials
import PortgridCore
import Synchronization

/// Reverse DNS for many addresses at once, bounded in time: getnameinfo blocks and cannot be
/// cancelled, so a few worker threads share the list and the caller stops waiting at the deadline,
/// keeping what came back. A worker stuck in a slow lookup finishes on its own and is ignored.
enum ReverseLookup {
    static let workers = 8

    private final class Work: Sendable {
        struct State {
            var next = 0
            var stopped = false
            var names: [IPAddress: String] = [:]
        }

        let addresses: [IPAddress]
        let state = Mutex(State())
        let group = DispatchGroup()

        init(_ addresses: [IPAddress]) { self.addresses = addresses }

        /// The next address to look up, or nil when done or told to stop.
        func take() -> IPAddress? {
            state.withLock { s in
                guard !s.stopped, s.next < addresses.count else { return nil }
                defer { s.next += 1 }
                return addresses[s.next]
            }
        }
    }

    static func names(of addresses: [IPAddress], service: any NameService,
                      budget: Duration) -> [IPAddress: String] {
        guard !addresses.isEmpty else { return [:] }
        let work = Work(addresses)
        for _ in 0..<Swift.min(workers, addresses.count) {
            work.group.enter()
            OSThread.start(name: "portgrid-rdns") {
                while let address = work.take() {
                    if let name = service.name(of: address) {
                        work.state.withLock { $0.names[address] = name }
                    }
                }
                work.group.leave()
            }
        }
        let seconds = budget.inSeconds
        _ = work.group.wait(timeout: .now() + seconds)
        return work.state.withLock { s in
            s.stopped = true
            return s.names
        }
    }
}
