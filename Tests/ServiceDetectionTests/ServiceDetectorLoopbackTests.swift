import Foundation
import PortgridCore
import ServiceProbes
import Testing
@testable import ServiceDetection

/// The detector against real sockets on loopback: well-mannered and hostile services, each handled without harm.
@Suite("Service detector on loopback", .serialized)
struct ServiceDetectorLoopbackTests {
    static let localhost = IPAddress("127.0.0.1")!

    func detect(_ names: [String], responders: LoopbackResponders, intensity: Int = 0,
                timing: Int = 5) async -> [String: ServiceIdentity] {
        let settings = DetectionSettings(intensity: intensity, timing: .template(timing))
        let detector = ServiceDetector(database: BuiltinProbes.database, settings: settings, tableName: { _, _ in nil })
        var byPort: [UInt16: String] = [:]
        for name in names {
            let port = responders.ports[name]!
            byPort[port] = name
            detector.submit(ServiceKey(host: Self.localhost, proto: .tcp, port: port))
        }
        detector.finish()
        var found: [String: ServiceIdentity] = [:]
        for await (key, identity) in detector.results { found[byPort[key.port]!] = identity }
        return found
    }

    @Test("a banner and an HTTP answer on loopback are identified, several ports at once")
    func wellMannered() async throws {
        let responders = try LoopbackResponders()
        let found = await detect(["ssh", "http"], responders: responders, intensity: 7)
        #expect(found["ssh"]?.product == "OpenSSH" && found["ssh"]?.version == "9.2p1 Debian 2+deb12u3")
        #expect(found["http"]?.name == "http" && found["http"]?.product == "nginx" && found["http"]?.version == "1.22.1")
    }

    /// -T5 waits: the silent port's NULL probe (1 s) bounds the run; the time limit stops a hang
    /// on the endless sender, and asserts no pace.
    @Test("hostile services (escapes, NUL bytes, endless data, silence, instant close) each end in bounded time and bytes",
          .timeLimit(.minutes(1)))
    func hostile() async throws {
        let responders = try LoopbackResponders()
        let found = await detect(["ansi", "nul", "endless", "silent", "wrapped"], responders: responders)
        #expect(found.count == 5)
        for (name, identity) in found {
            #expect(identity.banner.count <= ServiceProbing.bannerLimit, "\(name)")
        }
        #expect(found["ansi"]?.banner.first == 0x1B, "kept raw for the detail view; writers escape it")
        #expect(found["ansi"]?.product == nil && found["ansi"]?.method == .table)
        #expect(found["nul"]?.banner.prefix(4) == [0, 0, 0, 0])
        #expect(found["endless"]?.banner.count == ServiceProbing.bannerLimit)
        #expect(found["silent"]?.banner.isEmpty == true)
        #expect(found["wrapped"]?.name == "tcpwrapped")
    }

    @Test("cancel ends the results stream at once, even with a port still waiting", .timeLimit(.minutes(1)))
    func cancel() async throws {
        let responders = try LoopbackResponders()
        let detector = ServiceDetector(database: BuiltinProbes.database,
                                       settings: DetectionSettings(intensity: 9, timing: .normal), tableName: { _, _ in nil })
        detector.submit(ServiceKey(host: Self.localhost, proto: .tcp, port: responders.ports["silent"]!))
        detector.cancel()
        // The silent port's probes at intensity 9 would wait for many seconds; a cancelled detector
        // ends its stream without them, so the port is never reported.
        var reported = 0
        for await _ in detector.results { reported += 1 }
        #expect(reported == 0)
    }
}
