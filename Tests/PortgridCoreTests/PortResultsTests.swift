import Testing
@testable import PortgridCore

@Suite("a batch of port results keeps alike results as hosts and ports")
struct PortResultsTests {
    static func silent(_ host: String, _ port: UInt16, _ technique: Technique = .syn) -> PortResult {
        PortResult(host: IPAddress(host)!, proto: technique.transport, port: port,
                   state: technique == .syn ? .filtered : .openFiltered, reason: .noResponse, technique: technique)
    }

    @Test("a pass end's silent verdicts come back in order, each whole, from hosts and ports alone")
    func silentVerdicts() {
        let results = (0..<1_000).map { Self.silent("198.18.\($0 / 256).\($0 % 256)", 80) }
            + (1...3).map { Self.silent("198.19.0.1", UInt16($0)) }
        let batch = PortResults(results)
        #expect(batch.keepsHostsAndPortsOnly)
        #expect(Array(batch) == results)
        #expect(batch.count == 1_003 && batch[1_002] == Self.silent("198.19.0.1", 3))
    }

    @Test("IPv6 hosts among IPv4 ones keep their order and stay alike")
    func mixedFamilies() {
        let results = [Self.silent("198.18.0.1", 1), Self.silent("2001:2::9", 1), Self.silent("198.18.0.2", 1)]
        let batch = PortResults(results)
        #expect(batch.keepsHostsAndPortsOnly)
        #expect(Array(batch) == results)
    }

    @Test("one result unlike the others turns the batch into a list, every result as it came")
    func unlike() {
        var answered = Self.silent("198.18.0.3", 443)
        answered.state = .open
        answered.reason = .synAck
        answered.rtt = .microseconds(250)
        answered.replyTTL = 64
        var other = Self.silent("198.18.0.4", 53, .udp)
        other.reason = .noResponse
        let results = [Self.silent("198.18.0.1", 80), Self.silent("198.18.0.2", 80), answered, other,
                       Self.silent("198.18.0.5", 80)]
        var batch = PortResults()
        for result in results { batch.append(result) }
        #expect(!batch.keepsHostsAndPortsOnly)
        #expect(Array(batch) == results)
        #expect(batch == PortResults(results) && batch != PortResults(results.reversed()))
        #expect(PortResults().isEmpty && PortResults([answered]).keepsHostsAndPortsOnly)
    }

    @Test("an address column keeps IPv4 and IPv6 addresses in the order they came")
    func addressColumn() {
        let addresses = ["198.18.0.1", "0.0.0.0", "2001:2::1", "255.255.255.255", "2001:2::2"].map { IPAddress($0)! }
        for count in 0...addresses.count {
            let column = AddressColumn(addresses.prefix(count))
            #expect(Array(column) == Array(addresses.prefix(count)))
        }
    }
}
