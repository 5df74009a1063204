import PortgridCore
import Testing
@testable import ScanEngine

@Suite struct RawCookieTests {
    let ports = SourcePortRange(lowerBound: 61000, count: 4536)
    var cookie: ProbeCookie { ProbeCookie(seed: 99, ports: ports) }

    @Test func sourcePortsStayInTheRangeAndNameTheirTry() {
        for port: UInt16 in [1, 22, 80, 443, 61000, 65535] {
            for tryNumber in 0..<ProbeCookie.maxTries {
                let source = cookie.sourcePort(host: 0x7F00_0001, port: port, proto: 6, tryNumber: tryNumber)
                #expect(ports.contains(source))
                #expect(cookie.tryNumber(host: 0x7F00_0001, port: port, proto: 6, sourcePort: source) == tryNumber)
            }
        }
    }

    @Test func aReplyToAnotherProbesPortIsNotOurs() {
        let source = cookie.sourcePort(host: 0x7F00_0001, port: 80, proto: 6, tryNumber: 0)
        // Same port, another host or protocol, or a port outside the block: no try matches
        // (the hash spreads the base over 4536 ports, so a fixed neighbour matches by chance only).
        #expect(cookie.tryNumber(host: 0x7F00_0001, port: 80, proto: 6, sourcePort: 60999) == nil)
        let strangers = (0..<200).filter {
            cookie.tryNumber(host: 0xC612_0000 + UInt32($0), port: 80, proto: 6, sourcePort: source) != nil
        }
        #expect(strangers.count < 10)
    }

    @Test func sequenceNumbersCarryTheTryAndOnlyMatchTheirProbe() {
        for tryNumber in 0..<ProbeCookie.maxTries {
            let value = cookie.sequence(host: 0xC612_0002, port: 443, tryNumber: tryNumber)
            #expect(cookie.tryNumber(host: 0xC612_0002, port: 443, sequence: value) == tryNumber)
            #expect(cookie.tryNumber(host: 0xC612_0002, port: 444, sequence: value) == nil)
            #expect(cookie.tryNumber(host: 0xC612_0003, port: 443, sequence: value) == nil)
            #expect(cookie.tryNumber(host: 0xC612_0002, port: 443, sequence: value ^ 0x100) == nil)
        }
    }

    @Test func seedsGiveDifferentCookies() {
        let other = ProbeCookie(seed: 100, ports: ports)
        #expect(cookie.sequence(host: 1, port: 1, tryNumber: 0) != other.sequence(host: 1, port: 1, tryNumber: 0))
        #expect(cookie.echoIdentifier != other.echoIdentifier || cookie.ipIdentification != other.ipIdentification)
    }

    @Test func echoSequencesRoundTrip() {
        for tryNumber in 0..<ProbeCookie.maxTries {
            let sequence = cookie.echoSequence(host: 0xC612_0005, tryNumber: tryNumber)
            #expect(cookie.tryNumber(host: 0xC612_0005, echoSequence: sequence) == tryNumber)
        }
        let strangers = (0..<100).filter {
            cookie.tryNumber(host: 0xC612_0100 + UInt32($0), echoSequence: cookie.echoSequence(host: 0xC612_0005, tryNumber: 0)) != nil
        }
        #expect(strangers.count < 5)
    }

    @Test func sourcePortsAvoidTheEphemeralRange() {
        #expect(SourcePortRange.avoiding(ephemeral: 32768...60999) == SourcePortRange(lowerBound: 61000, count: 4535 + 1))
        let below = SourcePortRange.avoiding(ephemeral: 40000...65500)
        #expect(below.lowerBound == 35904 && below.upperBound == 39999)
        let everything = SourcePortRange.avoiding(ephemeral: 1024...65535)
        #expect(everything.count == 4096)
        #expect(SourcePortRange.parseEphemeral("32768\t60999\n") == 32768...60999)
        #expect(SourcePortRange.parseEphemeral("nonsense") == nil)
        #expect(SourcePortRange.parseEphemeral("5 4") == nil)
    }
}
