import Testing
@testable import PortgridCore

@Suite struct PortSpecTests {
    @Test func singleListAndRange() throws {
        #expect(try PortList(parsing: "22").tcp.description == "22")
        #expect(Array(try PortList(parsing: "22,80,443").tcp) == [22, 80, 443])
        #expect(try PortList(parsing: "1-1024").tcp.count == 1024)
    }

    @Test func allPorts() throws {
        #expect(try PortList(parsing: "-").tcp.count == 65535)
        #expect(try PortList(parsing: "-").tcp.ranges == [1...65535])
        #expect(try PortList(parsing: "-1024").tcp.ranges == [1...1024])
        #expect(try PortList(parsing: "60000-").tcp.ranges == [60000...65535])
    }

    @Test func protocolQualifiersAreSticky() throws {
        let list = try PortList(parsing: "U:53,161,T:22,80")
        #expect(Array(list.udp) == [53, 161])
        #expect(Array(list.tcp) == [22, 80])
        let both = try PortList(parsing: "22,U:53")
        #expect(Array(both.tcp) == [22])
        #expect(Array(both.udp) == [22, 53])
    }

    @Test func overlapsMergeAndIndexWorks() throws {
        let set = try PortList(parsing: "80,1-10,5-20,22,21").tcp
        #expect(set.ranges == [1...22, 80...80])
        #expect(set.count == 23)
        #expect(set[0] == 1)
        #expect(set[21] == 22)
        #expect(set[22] == 80)
        #expect(set.index(of: 80) == 22)
        #expect(set.index(of: 79) == nil)
    }

    @Test func serviceNames() throws {
        #expect(Array(try PortList(parsing: "ssh,http").tcp) == [22, 80])
    }

    @Test(arguments: [
        ("70000", "70000 is out of range"),
        ("5-1", "start is greater than the end"),
        ("22,,80", "empty element"),
        ("S:22", "unsupported protocol"),
        ("abc", "neither a number nor a known service"),
        ("1-99999", "out of range"),
    ])
    func malformedPorts(input: String, fragment: String) {
        #expect {
            _ = try PortList(parsing: input)
        } throws: { "\($0)".contains(fragment) && "\($0)".contains("'") }
    }

    @Test func emptyList() {
        #expect(throws: SpecError.emptyPortList) { _ = try PortList(parsing: " ") }
    }

    @Test func topPortsRanking() throws {
        #expect(TopPorts.tcp.count == 65535)
        #expect(Set(TopPorts.tcp).count == 65535)
        #expect(Array(TopPorts.tcp.prefix(3)) == [80, 443, 22])
        let top1000 = PortList.top(1000)
        #expect(top1000.tcp.count == 1000)
        for common: UInt16 in [21, 22, 23, 25, 53, 80, 443, 3389, 3306, 8080] {
            #expect(top1000.tcp.contains(common))
        }
        #expect(PortList.defaultList.udp.contains(53))
        #expect(throws: SpecError.invalidTopPorts("0")) { _ = try PortList.parseTopPorts("0") }
    }
}

@Suite struct TimingTests {
    @Test func nmapTemplates() throws {
        let t4 = try TimingProfile.parse("-T4")
        #expect(t4.initialRTTTimeout == .milliseconds(500))
        #expect(t4.minRTTTimeout == .milliseconds(100))
        #expect(t4.maxRTTTimeout == .milliseconds(1250))
        #expect(t4.maxRetries == 6)
        #expect(t4.scanDelay == .zero)
        let t0 = try TimingProfile.parse("paranoid")
        #expect(t0.initialRTTTimeout == .seconds(300) && t0.scanDelay == .seconds(300) && t0.maxRetries == 10)
        let t2 = try TimingProfile.parse("2")
        #expect(t2.scanDelay == .milliseconds(400) && t2.maxRTTTimeout == .seconds(10))
        let t5 = try TimingProfile.parse("T5")
        #expect(t5.minRTTTimeout == .milliseconds(50) && t5.maxRTTTimeout == .milliseconds(300) && t5.maxRetries == 2)
        #expect(TimingProfile.normal.level == 3 && TimingProfile.normal.maxRetries == 10)
    }

    @Test func badTemplates() {
        for bad in ["9", "-T9", "T", "fast", "33"] {
            #expect(throws: SpecError.invalidTiming(bad)) { _ = try TimingProfile.parse(bad) }
        }
    }

    @Test func switchingKeepsOverrides() {
        var profile = TimingProfile.normal
        profile.maxRate = 500
        profile.maxRetries = 1
        let next = profile.switching(to: 4)
        #expect(next.level == 4 && next.maxRate == 500 && next.maxRetries == 1)
        #expect(TimingProfile.normal.switching(to: 4).maxRetries == 6)
    }

    @Test func durationsAndRates() throws {
        #expect(try TimingProfile.parseHostTimeout("500ms") == .milliseconds(500))
        #expect(try TimingProfile.parseHostTimeout("2s") == .seconds(2))
        #expect(try TimingProfile.parseHostTimeout("5m") == .seconds(300))
        #expect(try TimingProfile.parseHostTimeout("3") == .seconds(3))
        #expect(throws: SpecError.self) { _ = try TimingProfile.parseHostTimeout("x5") }
        #expect(try TimingProfile.parseRate("1000") == 1000)
        #expect(throws: (any Error).self) { _ = try TimingProfile.parseRate("-1") }
    }
}
