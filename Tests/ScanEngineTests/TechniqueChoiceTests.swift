import Foundation
import PortgridCore
import Testing
@testable import ScanEngine

/// Which technique a scan really runs, given the privileges.
@Suite struct TechniqueChoiceTests {
    @Test("SYN without raw sockets becomes connect with one notice")
    func synWithoutPrivilegeFallsBack() throws {
        let choice = try TechniqueChoice.effective(.syn, rawAllowed: false)
        #expect(choice.technique == .connect)
        #expect(choice.notice == Notice(.warning, "SYN scan needs root or CAP_NET_RAW; falling back to TCP connect scan (-sT)"))
    }

    @Test("SYN as root stays a raw SYN scan, without a notice, whatever the targets' family")
    func synAsRootStaysRaw() throws {
        #expect(try TechniqueChoice.effective(.syn, rawAllowed: true) == (.syn, nil))
    }

    @Test("stealth, ACK and UDP scans without raw sockets fail with the privilege message")
    func otherRawTechniquesNeedPrivilege() {
        for technique in [Technique.fin, .null, .xmas, .ack, .udp] {
            #expect(throws: ScanError.needsPrivilege("\(technique.title) scan (\(technique.flag))")) {
                _ = try TechniqueChoice.effective(technique, rawAllowed: false)
            }
        }
    }

    @Test("connect and the ping sweep run as asked, with no notice")
    func unprivilegedTechniquesAreKept() throws {
        for technique in [Technique.connect, .ping] {
            #expect(try TechniqueChoice.effective(technique, rawAllowed: false) == (technique, nil))
        }
    }

    @Test("a default SYN scan of ::1 as root scans it with raw IPv6 packets, with no fallback notice",
          .enabled(if: getuid() == 0 && LoopbackListener.ipv6Available, "needs root and IPv6 loopback"))
    func synScanOfIPv6LoopbackCompletes() async throws {
        let open = try LoopbackListener(listening: true, ipv6: true)
        let request = ScanRequest(
            targets: try TargetSet(parsing: ["::1"]), ports: PortList(tcp: PortSet(ports: [open.port]), udp: PortSet()),
            technique: .syn, timing: .normal, skipDiscovery: true, seed: 7)
        var notices: [Notice] = [], results: [PortResult] = [], summary: ScanSummary?
        for await event in Scanner().run(request) {
            switch event {
            case .notice(let notice): notices.append(notice)
            case .results(let batch): results += batch
            case .finished(let done): summary = done
            default: break
            }
        }
        #expect(summary?.outcome == .completed)
        #expect(notices.isEmpty)
        #expect(results.map(\.state) == [.open] && results.allSatisfy { $0.technique == .syn })
        #expect(results.map(\.reason) == [.synAck])
    }
}
