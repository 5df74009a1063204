import Foundation
import PortgridCore
import Report
import Synchronization
import Testing

struct PendingServiceNamesTests {
    @Test func theBackgroundLoadGivesWhatALoadGives() throws {
        let directory = try TemporaryDirectory()
        try "toybox 7777/tcp\nhttp-alt 8080/tcp\n".write(toFile: directory.path + "/services", atomically: true, encoding: .utf8)
        try "unknown\t7777/tcp\t0.0001\nsun-sr-https\t6443/tcp\t0.00007\n"
            .write(toFile: directory.path + "/nmap-services", atomically: true, encoding: .utf8)
        let pending = ServiceDatabase.loadInBackground(path: directory.path + "/services",
                                                       nmapServices: directory.path + "/nmap-services")
        let direct = ServiceDatabase.load(path: directory.path + "/services", nmapServices: directory.path + "/nmap-services")
        let names = pending.names
        for port: UInt16 in [22, 80, 6443, 7777, 8080, 9] {
            #expect(names.name(port: port, proto: .tcp) == direct.name(port: port, proto: .tcp), "port \(port)")
        }
        #expect(names.name(port: 7777, proto: .tcp) == "unknown")
        #expect(pending.names.name(port: 6443, proto: .tcp) == "sun-sr-https", "read again, same table")
    }

    /// Readers that come before the load is done wait for it, from any thread, however many they are.
    @Test func readersWaitForTheLoad() async {
        let gate = DispatchSemaphore(value: 0)
        let loads = Atomic<Int>(0)
        let pending = PendingServiceNames {
            gate.wait()
            loads.add(1, ordering: .sequentiallyConsistent)
            return ServiceNames.parse(servicesFile: "late 4242/udp\n")
        }
        let readers = DispatchGroup()
        let seen = Mutex<[String?]>([])
        for _ in 0..<4 {
            readers.enter()
            Thread {
                let name = pending.names.name(port: 4242, proto: .udp)
                seen.withLock { $0.append(name) }
                readers.leave()
            }.start()
        }
        #expect(seen.withLock { $0.isEmpty }, "nobody got a table before the load ran")
        gate.signal()
        #expect(readers.wait(timeout: .now() + 10) == .success)
        #expect(seen.withLock { $0 } == Array(repeating: "late", count: 4))
        #expect(pending.names.name(port: 4242, proto: .udp) == "late")
        #expect(loads.load(ordering: .sequentiallyConsistent) == 1, "loaded once for every reader")
    }
}
