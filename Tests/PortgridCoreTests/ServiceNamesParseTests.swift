import Foundation
import PortgridCore
import Testing

struct ServiceNamesParseTests {
    private func parse(_ text: String) -> ServiceNames {
        ServiceNames.parse(servicesFile: Array(text.utf8))
    }

    @Test func nameSlotAliasesAndCommentAreRead() {
        let names = parse("""
        ssh\t\t22/tcp\t\t\t# SSH Remote Login Protocol
        domain  53/udp  nameserver dns   # aliases are not names
        http 80/tcp www
        """)
        #expect(names.name(port: 22, proto: .tcp) == "ssh")
        #expect(names.name(port: 53, proto: .udp) == "domain")
        #expect(names.name(port: 53, proto: .tcp) == nil)
        #expect(names.name(port: 80, proto: .tcp) == "http")
    }

    @Test func theFirstNameForASlotWinsAndProtocolsAreApart() {
        let names = parse("""
        first 7777/tcp
        second 7777/tcp
        other 7777/udp
        third 7777/udp
        """)
        #expect(names.name(port: 7777, proto: .tcp) == "first")
        #expect(names.name(port: 7777, proto: .udp) == "other")
    }

    @Test func commentsAndBlankLinesAreIgnored() {
        let names = parse("""
        # whole-line comment 1/tcp

          \t
        \t# indented comment 2/tcp
        ssh#glued 3/tcp
        glued 4/tcp#comment
        # 5/tcp
        spaced 6/tcp # 7/tcp
        """)
        #expect(names.name(port: 1, proto: .tcp) == nil)
        #expect(names.name(port: 2, proto: .tcp) == nil)
        #expect(names.name(port: 3, proto: .tcp) == nil, "a # in the name leaves no slot field")
        #expect(names.name(port: 4, proto: .tcp) == "glued")
        #expect(names.name(port: 5, proto: .tcp) == nil)
        #expect(names.name(port: 6, proto: .tcp) == "spaced")
        #expect(names.name(port: 7, proto: .tcp) == nil)
    }

    @Test func badPortsAreSkipped() {
        let names = parse("""
        a notaport/tcp
        b 65536/tcp
        c 99999999999999999999999999/tcp
        d -1/tcp
        e +/tcp
        f /tcp
        g 0x16/tcp
        h 1_0/tcp
        i 22
        j 2 2/tcp
        k 22/tcp/extra
        """)
        for port in [UInt16(0), 1, 2, 10, 16, 22, 65535] {
            #expect(names.name(port: port, proto: .tcp) == nil, "port \(port)")
        }
    }

    /// What `UInt16(_:)` and `split(separator: "/")` let through before still goes through.
    @Test func edgePortsParseAsTheStringParserReadThem() {
        let names = parse("""
        zero 0/tcp
        max 65535/tcp
        padded 0022/tcp
        plus +23/tcp
        minuszero -0/udp
        doubled 24//tcp
        leading /25/tcp
        trailing 26/tcp/
        """)
        #expect(names.name(port: 0, proto: .tcp) == "zero")
        #expect(names.name(port: 65535, proto: .tcp) == "max")
        #expect(names.name(port: 22, proto: .tcp) == "padded")
        #expect(names.name(port: 23, proto: .tcp) == "plus")
        #expect(names.name(port: 0, proto: .udp) == "minuszero")
        #expect(names.name(port: 24, proto: .tcp) == "doubled")
        #expect(names.name(port: 25, proto: .tcp) == "leading")
        #expect(names.name(port: 26, proto: .tcp) == "trailing")
    }

    @Test func unknownProtocolsAreSkipped() {
        let names = parse("""
        a 1/sctp
        b 1/TCP
        c 1/tcpx
        d 1/tc
        e 1/
        f 1/ddp
        g 1/udp
        """)
        #expect(names.name(port: 1, proto: .tcp) == nil)
        #expect(names.name(port: 1, proto: .udp) == "g")
    }

    @Test func crlfLinesReadAsLFLines() {
        let names = parse("ssh 22/tcp\r\ndomain\t53/udp\r\n\r\n# note\r\nhttp 80/tcp www\r\nlast 81/tcp")
        #expect(names.name(port: 22, proto: .tcp) == "ssh")
        #expect(names.name(port: 53, proto: .udp) == "domain")
        #expect(names.name(port: 80, proto: .tcp) == "http")
        #expect(names.name(port: 81, proto: .tcp) == "last")
    }

    @Test func theLastLineNeedsNoNewline() {
        #expect(parse("ssh 22/tcp").name(port: 22, proto: .tcp) == "ssh")
        #expect(parse("ssh 22/tcp\nhttp 80/tcp").name(port: 80, proto: .tcp) == "http")
        #expect(parse("ssh 22/tcp # no newline").name(port: 22, proto: .tcp) == "ssh")
    }

    @Test func degenerateInputsGiveAnEmptyTable() {
        let inputs: [[UInt8]] = [
            [], Array("\n".utf8), Array("\n\n\n".utf8), Array("#".utf8), Array(" ".utf8), Array("\t\r\n".utf8),
            Array("/".utf8), Array("a /".utf8), Array("a //".utf8), Array("a -".utf8), Array("a +/tcp".utf8),
            Array("onlyaname".utf8), Array("a 22/".utf8), [0], [0xFF, 0xFE, 0x20, 0x2F],
        ]
        for input in inputs {
            let names = ServiceNames.parse(servicesFile: input)
            #expect(names.name(port: 22, proto: .tcp) == nil)
            #expect(names.name(port: 0, proto: .tcp) == nil)
        }
    }

    @Test func namesAreDecodedAsUTF8WithInvalidBytesReplaced() {
        var bytes = Array("café 8001/tcp\n".utf8)
        bytes += [0x62, 0xFF, 0x64, 0x20] + Array("8002/tcp # \u{FF}\n".utf8)
        bytes += Array("ok 8003/tcp # ".utf8) + [0xC3, 0x0A]
        let names = ServiceNames.parse(servicesFile: bytes)
        #expect(names.name(port: 8001, proto: .tcp) == "café")
        #expect(names.name(port: 8002, proto: .tcp) == "b\u{FFFD}d")
        #expect(names.name(port: 8003, proto: .tcp) == "ok")
    }

    @Test func theStringBytesAndBufferOverloadsAgree() {
        let text = "ssh 22/tcp\ndomain 53/udp\nbad 70000/tcp\n"
        let bytes = Array(text.utf8)
        let viaBuffer = bytes.withUnsafeBytes { ServiceNames.parse(servicesFile: $0) }
        for names in [ServiceNames.parse(servicesFile: text), ServiceNames.parse(servicesFile: bytes), viaBuffer] {
            #expect(names.name(port: 22, proto: .tcp) == "ssh")
            #expect(names.name(port: 53, proto: .udp) == "domain")
            #expect(names.name(port: 4464, proto: .tcp) == nil)
        }
    }

    /// `merging` inserts the smaller table into the larger; the receiver's names still win either way.
    @Test func mergingKeepsTheReceiversNamesWhicheverTableIsLarger() {
        let large = parse((1...500).map { "big\($0) \($0)/tcp" }.joined(separator: "\n") + "\nbigu 7/udp\n")
        let small = parse("small 1/tcp\nsmallonly 9000/tcp\nsmallu 7/udp\n")
        let smallOnTop = small.merging(large), largeOnTop = large.merging(small)
        #expect(smallOnTop.name(port: 1, proto: .tcp) == "small")
        #expect(smallOnTop.name(port: 7, proto: .udp) == "smallu")
        #expect(largeOnTop.name(port: 1, proto: .tcp) == "big1")
        #expect(largeOnTop.name(port: 7, proto: .udp) == "bigu")
        for merged in [smallOnTop, largeOnTop] {
            #expect(merged.name(port: 500, proto: .tcp) == "big500")
            #expect(merged.name(port: 9000, proto: .tcp) == "smallonly")
            #expect(merged.name(port: 501, proto: .tcp) == nil)
        }
    }

    @Test("the compact table answers every one of 65,536 ports as the dictionary it was made from")
    func compactTableAnswersEveryPortAsItsDictionary() {
        var tcp: [UInt16: String] = [:], udp: [UInt16: String] = [:]
        var generator = SystemRandomNumberGenerator()
        for port in UInt16.min...UInt16.max where Bool.random(using: &generator) {
            tcp[port] = "s\(port)" + String(repeating: "é", count: Int(port % 7))
        }
        for port in stride(from: UInt16(0), through: 65_534, by: 3) { udp[port] = "u\(port)" }
        let names = ServiceNames(tcp: tcp, udp: udp)
        let merged = ServiceNames(tcp: [0: "zero", 65_535: "last", 2: "two"], udp: [1: "one"]).merging(names)
        for port in UInt16.min...UInt16.max {
            #expect(names.name(port: port, proto: .tcp) == tcp[port])
            #expect(names.name(port: port, proto: .udp) == udp[port])
            let mergedTCP = [0: "zero", 65_535: "last", 2: "two"][port] ?? tcp[port]
            #expect(merged.name(port: port, proto: .tcp) == mergedTCP)
            #expect(merged.name(port: port, proto: .udp) == (port == 1 ? "one" : udp[port]))
        }
    }

    /// A file built from the pieces the format allows, and those it does not, in every order: the byte
    /// parser names every slot as the former String parser did.
    @Test func theByteParserAgreesWithTheFormerStringParserOnASyntheticFile() {
        let text = SyntheticServicesFile.make(lines: 20_000, seed: 0x5EED)
        let former = FormerServicesParser.parse(text)
        let bytes = ServiceNames.parse(servicesFile: Array(text.utf8))
        #expect(former.tcp.count > 1_000 && former.udp.count > 1_000, "the file names many slots")
        #expect(Slots.differences(bytes, former).isEmpty)
        #expect(Slots.differences(ServiceNames.parse(servicesFile: text), former).isEmpty)
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/usr/share/nmap/nmap-services")))
    func theByteParserAgreesWithTheFormerStringParserOnNmapServices() throws {
        let data = try #require(FileManager.default.contents(atPath: "/usr/share/nmap/nmap-services"))
        let former = FormerServicesParser.parse(String(decoding: data, as: UTF8.self))
        let bytes = data.withUnsafeBytes { ServiceNames.parse(servicesFile: $0) }
        #expect(former.tcp.count > 5_000)
        #expect(Slots.differences(bytes, former).isEmpty)
        #expect(bytes.name(port: 22, proto: .tcp) == "ssh")
    }

    @Test(.enabled(if: FileManager.default.isReadableFile(atPath: "/etc/services")))
    func theByteParserAgreesWithTheFormerStringParserOnTheSystemServices() throws {
        let data = try #require(FileManager.default.contents(atPath: "/etc/services"))
        let former = FormerServicesParser.parse(String(decoding: data, as: UTF8.self))
        #expect(Slots.differences(ServiceNames.parse(servicesFile: Array(data)), former).isEmpty)
    }
}

/// The String parser `ServiceNames.parse(servicesFile:)` had before it read bytes, kept as the reference
/// the byte parser must agree with.
enum FormerServicesParser {
    static func parse(_ text: String) -> (tcp: [UInt16: String], udp: [UInt16: String]) {
        var tcp: [UInt16: String] = [:], udp: [UInt16: String] = [:]
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            let portProto = fields[1].split(separator: "/")
            guard portProto.count == 2, let port = UInt16(portProto[0]) else { continue }
            let name = String(fields[0])
            switch portProto[1] {
            case "tcp": if tcp[port] == nil { tcp[port] = name }
            case "udp": if udp[port] == nil { udp[port] = name }
            default: continue
            }
        }
        return (tcp, udp)
    }
}

enum Slots {
    /// The first (port, protocol) slots whose names differ, described (a few say enough).
    static func differences(_ names: ServiceNames, _ reference: (tcp: [UInt16: String], udp: [UInt16: String]))
        -> [String] {
        var differences: [String] = []
        for port in 0...UInt16.max {
            let tcp = names.name(port: port, proto: .tcp), udp = names.name(port: port, proto: .udp)
            if tcp != reference.tcp[port] { differences.append("\(port)/tcp: \(tcp ?? "-") vs \(reference.tcp[port] ?? "-")") }
            if udp != reference.udp[port] { differences.append("\(port)/udp: \(udp ?? "-") vs \(reference.udp[port] ?? "-")") }
            if differences.count >= 10 { break }
        }
        return differences
    }
}

/// Deterministic services-file text: good lines, repeated slots, and every kind of bad field, joined
/// by spaces and tabs (no carriage returns: there the byte parser is meant to differ).
enum SyntheticServicesFile {
    static func make(lines: Int, seed: UInt64) -> String {
        var state = seed
        func pick<T>(_ choices: [T]) -> T { choices[Int(SplitMix64.next(&state) % UInt64(choices.count))] }
        let names = ["ssh", "http", "x", "café", "a-b_c.d", "unknown", "名前", "very-long-service-name-past-15", "+", "0"]
        let blanks = [" ", "\t", "  ", " \t ", "\t\t"]
        let protocols = ["tcp", "udp", "tcp", "udp", "sctp", "TCP", "tcpx", "", "ud"]
        let portForms: [(UInt64) -> String] = [
            { String($0 % 70_000) }, { String($0 % 2_000) }, { "+" + String($0 % 1_000) }, { "-" + String($0 % 2) },
            { "0" + String($0 % 500) }, { String($0) }, { _ in "" }, { _ in "notaport" }, { String($0 % 100) + "x" },
        ]
        var text = ""
        for _ in 0..<lines {
            let shape = SplitMix64.next(&state) % 20
            let name = pick(names), blank = pick(blanks), proto = pick(protocols)
            let port = pick(portForms)(SplitMix64.next(&state) % 100_000)
            switch shape {
            case 0: text += "# " + name + " " + port + "/" + proto
            case 1: text += pick(blanks)
            case 2: text += name + blank + port + "//" + proto
            case 3: text += "/" + port + "/" + proto + blank + name
            case 4: text += name + blank + port + "/" + proto + "/" + proto
            case 5: text += name + "#" + blank + port + "/" + proto
            case 6: text += name + blank + port + "/" + proto + "#trailing"
            case 7: text += name
            case 8: text += blank + name + blank + port + "/" + proto + blank
            default: text += name + blank + port + "/" + proto + blank + pick(names) + blank + "# " + pick(names)
            }
            text += "\n"
        }
        return text
    }
}
