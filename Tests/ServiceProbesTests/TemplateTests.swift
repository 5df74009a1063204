import Testing
@testable import ServiceProbes

@Suite("Version templates and probe-file syntax")
struct TemplateTests {
    func captures(_ pattern: String, _ subject: String) throws -> Pattern.Captures {
        try #require(try Pattern(pattern).match(Array(subject.utf8)))
    }

    @Test("$1 substitutes a capture and trailing spaces and commas are trimmed as nmap does")
    func plainSubstitution() throws {
        let found = try captures("^v(\\S+) (.*)$", "v1.2 build,  ")
        #expect(Template("$1 rev $2").fill(found, limit: 80) == "1.2 rev build")
    }

    @Test("$P keeps printable bytes, $SUBST replaces, $I reads an integer in either byte order")
    func helpers() throws {
        let utf16 = try #require(try Pattern("^(.*)$", dotAll: true).match([0x57, 0, 0x4F, 0, 0x52, 0, 0x4B, 0]))
        #expect(Template("$P(1)").fill(utf16, limit: 80) == "WORK")
        let version = try captures("^(\\S+)$", "3_0_3")
        #expect(Template("$SUBST(1,\"_\",\".\")").fill(version, limit: 80) == "3.0.3")
        let number = try #require(try Pattern("^(..)$", dotAll: true).match([0x01, 0x02]))
        #expect(Template("$I(1,\">\")").fill(number, limit: 80) == "258")
        #expect(Template("$I(1,\"<\")").fill(number, limit: 80) == "513")
    }

    @Test("a missing capture, an unknown command or an over-long result leaves the field empty")
    func failures() throws {
        let found = try captures("^(a)$", "a")
        #expect(Template("$2").fill(found, limit: 80) == nil)
        #expect(Template("$NOPE(1)").fill(found, limit: 80) == nil)
        #expect(Template(String(repeating: "x", count: 90)).fill(found, limit: 80) == nil)
    }

    @Test("CPE substitutions are lower-cased, spaces become underscores and reserved bytes are percent-encoded")
    func cpe() throws {
        let found = try captures("^(.*)$", "Foo Bar:1")
        #expect(Template("cpe:/a:x:$1").fill(found, limit: 80, transform: Template.cpeEscaped) == "cpe:/a:x:foo_bar%3A1")
    }

    @Test("a small probe file parses: escapes, ports, rarity, fallback, Exclude, and a bad pattern is an issue, not a crash")
    func smallFile() throws {
        let text = """
        # comment
        Exclude T:9100-9102,U:30000
        Probe TCP NULL q||
        totalwaitms 6000
        match ftp m|^220 (\\S+) ready\\r\\n| p/Test FTP/ v/$1/
        match broken m|^(unclosed| p/x/
        Probe TCP Ping q|PING\\r\\n\\x00\\x41|
        rarity 3
        ports 6379,7000-7002
        sslports 6380
        fallback NULL
        softmatch redis m|^\\+PONG|
        Probe UDP Echo q|hi|
        """
        let database = ProbeFileParser.parse(text)
        #expect(database.probes.map(\.name) == ["NULL", "Ping", "Echo"])
        #expect(database.issues.map(\.line) == [6])
        let ping = database.probes[1]
        #expect(ping.payload == Array("PING\r\n".utf8) + [0, 0x41])
        #expect(ping.rarity == 3 && ping.ports.contains(7001) && !ping.ports.contains(7003) && ping.sslPorts.contains(6380))
        #expect(database.isExcluded(port: 9101, transport: .tcp) && database.isExcluded(port: 30000, transport: .udp))
        #expect(database.match(Array("220 1.0 ready\r\n".utf8), probe: 1)?.version == "1.0")
        let soft = try #require(database.match(Array("+PONG\r\n".utf8), probe: 1))
        #expect(soft.isSoft && soft.service == "redis" && soft.product == nil)
        #expect(database.ruleSources(for: 2) == [2])
    }
}
