import Glibc
import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct ConnectVerdictTests {
    func icmp(_ type: UInt8, _ code: UInt8, _ errno: CInt, v6: Bool = false) -> ICMPReport {
        ICMPReport(family: v6 ? .icmp6 : .icmp, type: type, code: code, errno: Errno(rawValue: errno), offender: nil)
    }

    @Test func errnoAloneWhenNoICMPWasQueued() {
        #expect(ConnectVerdict.classify(error: nil, icmp: nil) == .answered(.open, .synAck))
        #expect(ConnectVerdict.classify(error: .connectionRefused, icmp: nil) == .answered(.closed, .connRefused))
        #expect(ConnectVerdict.classify(error: .networkUnreachable, icmp: nil) == .answered(.filtered, .netUnreach))
        #expect(ConnectVerdict.classify(error: .hostUnreachable, icmp: nil) == .answered(.filtered, .hostUnreach))
        #expect(ConnectVerdict.classify(error: .notPermitted, icmp: nil) == .answered(.filtered, .adminProhibited))
        #expect(ConnectVerdict.classify(error: .timedOut, icmp: nil) == .silent)
        #expect(ConnectVerdict.classify(error: Errno(rawValue: EPROTO), icmp: nil) == .answered(.filtered, .unknownResponse))
    }

    @Test func localShortagesAreNeverAState() {
        for errno in [EADDRNOTAVAIL, EAGAIN, ENOBUFS, ENOMEM, EMFILE, ENFILE] {
            #expect(ConnectVerdict.classify(error: Errno(rawValue: errno), icmp: nil) == .localShortage)
        }
    }

    /// The reason the error queue is read at all: Linux gives ECONNREFUSED for a RST and for ICMP
    /// port-unreachable alike; only the queued ICMP report tells a firewall from a closed port.
    @Test func theICMPReportWinsOverErrno() {
        #expect(ConnectVerdict.classify(error: .connectionRefused, icmp: icmp(3, 3, ECONNREFUSED))
                == .answered(.filtered, .portUnreach))
        #expect(ConnectVerdict.classify(error: .connectionRefused, icmp: icmp(3, 10, ECONNREFUSED))
                == .answered(.filtered, .hostProhibited))
        #expect(ConnectVerdict.classify(error: .connectionRefused, icmp: icmp(3, 9, ECONNREFUSED))
                == .answered(.filtered, .netProhibited))
        #expect(ConnectVerdict.classify(error: .hostUnreachable, icmp: icmp(3, 13, EHOSTUNREACH))
                == .answered(.filtered, .adminProhibited))
        #expect(ConnectVerdict.classify(error: .hostUnreachable, icmp: icmp(3, 1, EHOSTUNREACH))
                == .answered(.filtered, .hostUnreach))
        #expect(ConnectVerdict.classify(error: .hostUnreachable, icmp: icmp(11, 0, EHOSTUNREACH))
                == .answered(.filtered, .timeExceeded))
    }

    @Test func everyICMPv4UnreachableCodeIsFiltered() {
        for code in UInt8(0)...15 {
            let verdict = ConnectVerdict.classify(error: .hostUnreachable, icmp: icmp(3, code, EHOSTUNREACH))
            #expect(verdict == .answered(.filtered, Reason.unreachable(code: code)))
        }
    }

    @Test("ICMPv6 unreachable codes read as the SYN scan reads them, in nmap's words (no-route, failed-policy, reject-route)")
    func icmpv6UnreachableCodes() {
        let cases: [(UInt8, Reason)] = [(0, .noRoute), (1, .adminProhibited), (2, .beyondScope), (3, .hostUnreach),
                                        (4, .portUnreach), (5, .failedPolicy), (6, .rejectRoute)]
        for (code, reason) in cases {
            #expect(Reason.unreachableV6(code: code) == reason)
            #expect(ConnectVerdict.classify(error: .connectionRefused, icmp: icmp(1, code, ECONNREFUSED, v6: true))
                    == .answered(.filtered, reason))
        }
    }
}

@Suite struct ICMPReportParsingTests {
    @Test func decodesAnIPv4ExtendedError() {
        let offender = SocketAddress(IPAddress("198.18.0.1")!, port: 0)
        let bytes = ControlMessages.icmpError(family: AF_INET, type: 3, code: 13, errno: EHOSTUNREACH, offender: offender)
        let report = bytes.withUnsafeBytes { ICMPReport.parse(controlMessages: $0) }
        #expect(report == ICMPReport(family: .icmp, type: 3, code: 13, errno: .hostUnreachable, offender: offender))
    }

    @Test func decodesAnIPv6ExtendedError() {
        let offender = SocketAddress(IPAddress("2001:db8::1")!, port: 0)
        let bytes = ControlMessages.icmpError(family: AF_INET6, type: 1, code: 4, errno: ECONNREFUSED, offender: offender)
        let report = bytes.withUnsafeBytes { ICMPReport.parse(controlMessages: $0) }
        #expect(report?.family == .icmp6)
        #expect(report?.code == 4)
        #expect(report?.offender == offender)
    }

    @Test func skipsOtherMessagesAndLocalErrors() {
        var local = ControlMessages.icmpError(family: AF_INET, type: 0, code: 0, errno: EMSGSIZE, offender: nil)
        local[ICMPReport.headerSize + 4] = 1 // SO_EE_ORIGIN_LOCAL
        #expect(local.withUnsafeBytes { ICMPReport.parse(controlMessages: $0) } == nil)

        let ttl = ControlMessages.message(level: SOL_IP, type: IP_TTL, data: [64, 0, 0, 0])
        let icmp = ControlMessages.icmpError(family: AF_INET, type: 3, code: 3, errno: ECONNREFUSED, offender: nil)
        let report = (ttl + icmp).withUnsafeBytes { ICMPReport.parse(controlMessages: $0) }
        #expect(report?.code == 3)
    }

    @Test func truncatedOrEmptyControlDataGivesNothing() {
        let bytes = ControlMessages.icmpError(family: AF_INET, type: 3, code: 3, errno: ECONNREFUSED, offender: nil)
        #expect(Array(bytes.prefix(20)).withUnsafeBytes { ICMPReport.parse(controlMessages: $0) } == nil)
        #expect([UInt8]().withUnsafeBytes { ICMPReport.parse(controlMessages: $0) } == nil)
    }
}
