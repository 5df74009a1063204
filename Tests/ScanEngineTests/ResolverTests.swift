import Foundation
import PortgridCore
import Synchronization
import Testing
@testable import ScanEngine

/// Fixed answers for getaddrinfo / getnameinfo.
struct FixedNames: NameService {
    var forward: [String: [IPAddress]] = [:]
    var reverse: [IPAddress: String] = [:]
    var slow: Duration = .zero

    func addresses(of name: String) throws(NameLookupFailure) -> [IPAddress] {
        guard let found = forward[name] else {
            throw NameLookupFailure(code: -2, message: "Name or service not known")
        }
        return found
    }

    func name(of address: IPAddress) -> String? {
        if slow > .zero { Thread.sleep(forTimeInterval: slow.inSeconds) }
        return reverse[address]
    }
}

@Suite struct ResolverTests {
    let names = FixedNames(
        forward: ["web.test": [IPAddress("2001:db8::7")!, IPAddress("198.18.5.9")!, IPAddress("198.18.5.10")!],
                  "v6only.test": [IPAddress("2001:db8::8")!],
                  "dup.test": [IPAddress("198.18.0.1")!, IPAddress("198.18.0.1")!]],
        reverse: [IPAddress("198.18.0.1")!: "one.test", IPAddress("198.18.0.2")!: "two.test"])

    func resolve(_ arguments: [String], excluding: [String] = [], reverse: Bool = false,
                 service: (any NameService)? = nil, budget: Duration = .seconds(2)) throws -> Resolver.Resolved {
        try Resolver.resolve(TargetSet(parsing: arguments, excluding: excluding), reverseDNS: reverse,
                             names: service ?? names, reverseBudget: budget)
    }

    @Test func literalsPassThroughInOrderWithoutDuplicates() throws {
        let resolved = try resolve(["198.18.0.3", "198.18.0.1-2", "198.18.0.3"])
        #expect(resolved.hosts.map(\.description) == ["198.18.0.3", "198.18.0.1", "198.18.0.2"])
        #expect(resolved.names.isEmpty)
    }

    @Test func exclusionsAreApplied() throws {
        let resolved = try resolve(["198.18.0.0/29", "web.test"], excluding: ["198.18.0.0-3", "198.18.5.9"])
        #expect(resolved.hosts.map(\.description) == ["198.18.0.4", "198.18.0.5", "198.18.0.6", "198.18.0.7"])
    }

    @Test func aNameIsScannedAtItsFirstIPv4AddressAndTheRestAreNoted() throws {
        let resolved = try resolve(["web.test"])
        #expect(resolved.hosts == [IPAddress("198.18.5.9")!])
        #expect(resolved.names[IPAddress("198.18.5.9")!] == "web.test")
        #expect(resolved.notes == ["Other addresses for web.test (not scanned): 2001:db8::7 198.18.5.10"])
    }

    @Test func anIPv6OnlyNameUsesItsIPv6Address() throws {
        #expect(try resolve(["v6only.test"]).hosts == [IPAddress("2001:db8::8")!])
    }

    @Test func duplicateAnswersCollapse() throws {
        let resolved = try resolve(["dup.test", "198.18.0.1"])
        #expect(resolved.hosts == [IPAddress("198.18.0.1")!])
        #expect(resolved.notes.isEmpty)
    }

    @Test func aNameWithAPrefixExpandsToTheBlockAroundIt() throws {
        let resolved = try resolve(["web.test/30"])
        #expect(resolved.hosts.map(\.description) == ["198.18.5.8", "198.18.5.9", "198.18.5.10", "198.18.5.11"])
        #expect(resolved.names == [IPAddress("198.18.5.9")!: "web.test"])
        #expect(throws: ScanError.self) { try resolve(["v6only.test/24"]) }
    }

    @Test("a named block resolves to exactly as many hosts as the size limit counted for it")
    func theLimitCountsWhatResolutionExpandsTo() throws {
        for arguments in [["web.test/30"], ["web.test/24", "v6only.test"], ["web.test", "198.18.0.0/28"]] {
            let targets = try TargetSet(parsing: arguments)
            let resolved = try Resolver.resolve(targets, reverseDNS: false, names: names, reverseBudget: .zero)
            #expect(UInt64(resolved.hosts.count) == targets.count, "\(arguments)")
        }
    }

    @Test func anUnknownNameFailsWithTheResolversWords() {
        #expect(throws: ScanError.resolutionFailed("nope.test", why: "Name or service not known")) {
            try resolve(["198.18.0.1", "nope.test"])
        }
    }

    @Test("reverse names of every target are looked up up front only when asked (-R)")
    func reverseNamesOnlyWhenAsked() throws {
        #expect(try resolve(["198.18.0.1-3"]).reverseNames.isEmpty)
        let resolved = try resolve(["198.18.0.1-3"], reverse: true)
        #expect(resolved.reverseNames == [IPAddress("198.18.0.1")!: "one.test", IPAddress("198.18.0.2")!: "two.test"])
        #expect(resolved.names.isEmpty)
    }

    @Test("the user's name and the reverse name are kept apart, as nmap's user and PTR hostnames")
    func theUsersNameAndTheReverseNameAreKeptApart() throws {
        let service = FixedNames(forward: ["alias.test": [IPAddress("198.18.0.1")!]],
                                 reverse: [IPAddress("198.18.0.1")!: "one.test"])
        let resolved = try resolve(["alias.test"], reverse: true, service: service)
        #expect(resolved.names[IPAddress("198.18.0.1")!] == "alias.test")
        #expect(resolved.reverseNames[IPAddress("198.18.0.1")!] == "one.test")
    }

    @Test("live hosts' names are looked up within the budget and missing names are left out")
    func liveHostNames() {
        let found = Resolver.names(of: [IPAddress("198.18.0.2")!, IPAddress("198.18.0.9")!], service: names,
                                   budget: .seconds(2))
        #expect(found == [IPAddress("198.18.0.2")!: "two.test"])
    }

    /// Lookups that take 30 s each: waiting for them (64 on 8 workers, 4 minutes) would run into
    /// the time limit; the budget stops waiting after 0.5 s and leaves every name out.
    @Test("reverse lookups slower than the budget are given up, and their names left out", .timeLimit(.minutes(1)))
    func reverseLookupsAreBoundedInTime() throws {
        var service = names
        service.slow = .seconds(30)
        let resolved = try resolve(["198.18.0.0/26"], reverse: true, service: service, budget: .milliseconds(500))
        #expect(resolved.hosts.count == 64)
        #expect(resolved.names.isEmpty)
    }

    @Test func theSystemResolverKnowsLocalhost() throws {
        let resolved = try Resolver.resolve(TargetSet(parsing: ["localhost"]), reverseDNS: false)
        #expect(resolved.hosts.first?.isLoopback == true)
        #expect(resolved.names[resolved.hosts[0]] == "localhost")
    }

    @Test func theSystemResolverFailsCleanlyOnAReservedName() {
        #expect {
            try Resolver.resolve(TargetSet(parsing: ["no-such-host.invalid"]), reverseDNS: false)
        } throws: { error in
            guard case ScanError.resolutionFailed(let name, let why)? = error as? ScanError else { return false }
            return name == "no-such-host.invalid" && !why.isEmpty
        }
    }
}

extension ResolverTests {
    @Test("-6 scans a name at its first IPv6 address, and fails a name that has none")
    func ipv6Names() throws {
        let resolved = try Resolver.resolve(TargetSet(parsing: ["web.test"]), reverseDNS: false, names: names,
                                            reverseBudget: .seconds(1), ipv6: true)
        #expect(resolved.hosts == [IPAddress("2001:db8::7")!])
        #expect(throws: ScanError.self) {
            try Resolver.resolve(TargetSet(parsing: ["dup.test"]), reverseDNS: false, names: names,
                                 reverseBudget: .seconds(1), ipv6: true)
        }
    }
}
