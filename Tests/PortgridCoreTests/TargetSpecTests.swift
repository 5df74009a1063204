import Testing
@testable import PortgridCore

@Suite struct TargetSpecTests {
    func addresses(_ args: String...) throws -> [String] {
        try TargetSet(parsing: args).addresses.map(\.description)
    }

    @Test func singleAddress() throws {
        #expect(try addresses("198.18.0.2") == ["198.18.0.2"])
    }

    @Test func cidrBlockIncludesNetworkAndBroadcast() throws {
        let all = try addresses("198.18.0.0/30")
        #expect(all == ["198.18.0.0", "198.18.0.1", "198.18.0.2", "198.18.0.3"])
        #expect(try TargetSet(parsing: ["198.18.0.0/16"]).count == 65536)
    }

    @Test func cidrBaseIsMasked() throws {
        #expect(try addresses("198.18.0.77/31") == ["198.18.0.76", "198.18.0.77"])
    }

    @Test func lastOctetRange() throws {
        #expect(try addresses("198.18.0.1-3") == ["198.18.0.1", "198.18.0.2", "198.18.0.3"])
    }

    @Test func octetRangesInSeveralPlaces() throws {
        let set = try TargetSet(parsing: ["198.18.0-1.1-254"])
        #expect(set.count == 508)
        let list = set.addresses.map(\.description)
        #expect(list.first == "198.18.0.1")
        #expect(list[253] == "198.18.0.254")
        #expect(list[254] == "198.18.1.1")
        #expect(list.last == "198.18.1.254")
    }

    @Test func octetListWithCommas() throws {
        #expect(try addresses("198.18.0.1,5,9") == ["198.18.0.1", "198.18.0.5", "198.18.0.9"])
    }

    @Test func commaListOfWholeTargets() throws {
        #expect(try addresses("198.18.0.1,198.18.0.9") == ["198.18.0.1", "198.18.0.9"])
    }

    @Test func severalArgumentsAndWhitespace() throws {
        #expect(try addresses("198.18.0.1 198.18.0.2", "127.0.0.1") == ["198.18.0.1", "198.18.0.2", "127.0.0.1"])
    }

    @Test func ipv6LiteralAndPrefix() throws {
        #expect(try addresses("::1") == ["::1"])
        let block = try TargetSet(parsing: ["fd00::/120"])
        #expect(block.count == 256)
        #expect(block.addresses.map(\.description).last == "fd00::ff")
    }

    @Test func hostnamesAreKeptForTheEngine() throws {
        let set = try TargetSet(parsing: ["localhost", "scanme.example.test"])
        #expect(set.hostnames == ["localhost", "scanme.example.test"])
        #expect(Array(set.addresses).isEmpty)
    }

    @Test func exclusions() throws {
        let set = try TargetSet(parsing: ["198.18.0.0/29"], excluding: ["198.18.0.0", "198.18.0.4-7"])
        #expect(set.addresses.map(\.description) == ["198.18.0.1", "198.18.0.2", "198.18.0.3"])
    }

    @Test func lazyForLargeBlocks() throws {
        let set = try TargetSet(parsing: ["10.0.0.0/8"])
        #expect(set.count == 1 << 24)
        #expect(set.terms[0].address(at: 65_537)?.description == "10.1.0.1")
    }

    @Test(arguments: [
        ("300.1.1.1", "octet 300 is greater than 255"),
        ("198.18.0.0/33", "an IPv4 prefix is 0 to 32"),
        ("198.18.0", "four octets"),
        ("198.18.0.5-1", "malformed"),
        ("fd00::/129", "0 to 128"),
        ("fd00:::1", "not a valid IPv6"),
        ("bad_host!", "not an address"),
        ("198.18.0.0/x", "not a number"),
    ])
    func malformedTargetsNameTheToken(input: String, fragment: String) {
        #expect {
            _ = try TargetSet(parsing: [input])
        } throws: { error in
            let text = "\(error)"
            return text.contains(fragment) && text.contains("'")
        }
    }

    @Test func emptyTarget() {
        #expect(throws: SpecError.emptyTarget) { _ = try TargetSet(parsing: [""]) }
        #expect(throws: SpecError.emptyTarget) { _ = try TargetSet(parsing: ["  "]) }
    }

    @Test func tooLargeIsRefused() {
        #expect(throws: (any Error).self) { _ = try TargetSet(parsing: ["0.0.0.0/0"]) }
        #expect(throws: (any Error).self) { _ = try TargetSet(parsing: ["fd00::/64"]) }
    }

    @Test("an IPv6 prefix too large to sweep is refused in one line that names its size and the longest prefix allowed")
    func ipv6PrefixesTooLargeToSweep() throws {
        #expect(throws: SpecError.ipv6PrefixTooLarge("2001:2::/64", prefix: 64)) {
            _ = try TargetSet(parsing: ["2001:2::/64"])
        }
        let line = SpecError.ipv6PrefixTooLarge("2001:2::/64", prefix: 64).description
        #expect(line == "target '2001:2::/64' is an IPv6 /64 (2^64 addresses), too large to sweep: "
                + "name the hosts, or give a prefix of /104 or longer")
        #expect(try TargetSet(parsing: ["2001:2::/104"]).count == 1 << 24)
        #expect(throws: SpecError.ipv6PrefixTooLarge("2001:2::/103", prefix: 103)) {
            _ = try TargetSet(parsing: ["2001:2::/103"])
        }
    }

    @Test("a host name with a prefix counts as the block it resolves to, so localhost/0 is refused before any lookup")
    func hostnameBlocksCountTowardTheLimit() throws {
        #expect(throws: SpecError.targetTooLarge("localhost/0", count: 1 << 32)) {
            _ = try TargetSet(parsing: ["localhost/0"])
        }
        #expect(try TargetSet(parsing: ["localhost/24"]).count == 256)
        #expect(try TargetSet(parsing: ["localhost"]).count == 1)
        // A /8 is the limit itself; one address more is over it.
        #expect(try TargetSet(parsing: ["localhost/8"]).count == TargetSet.maxAddresses)
        #expect(throws: SpecError.targetTooLarge("localhost/8 127.0.0.1", count: TargetSet.maxAddresses + 1)) {
            _ = try TargetSet(parsing: ["localhost/8", "127.0.0.1"])
        }
    }
}

@Suite struct IPAddressTests {
    @Test func ipv4RoundTrip() {
        #expect(IPv4Address("198.18.0.2")?.description == "198.18.0.2")
        #expect(IPv4Address("198.18.0.256") == nil)
        #expect(IPv4Address("1.2.3") == nil)
        #expect(IPv4Address("01234.1.1.1") == nil)
    }

    @Test(arguments: [
        ("::1", "::1"), ("::", "::"), ("fd00::ff", "fd00::ff"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("2001:DB8::", "2001:db8::"),
        ("::ffff:198.18.0.1", "::ffff:c612:1"), ("1:0:0:0:0:0:0:0", "1::"), ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
    ])
    func ipv6CanonicalText(input: String, expected: String) {
        #expect(IPv6Address(input)?.description == expected)
    }

    @Test func ipv6Rejects() {
        for bad in ["1::2::3", "12345::", "1:2:3:4:5:6:7:8:9", ":::", "g::1", "1:2:3:4:5:6:7::8"] {
            #expect(IPv6Address(bad) == nil, "\(bad)")
        }
    }

    @Test func orderingIsNumericAndV4First() {
        let list = ["198.18.0.10", "::1", "198.18.0.9", "127.0.0.1"].compactMap { IPAddress($0) }.sorted()
        #expect(list.map(\.description) == ["127.0.0.1", "198.18.0.9", "198.18.0.10", "::1"])
    }
}
