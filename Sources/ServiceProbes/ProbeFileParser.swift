/// Reads nmap-service-probes text. Directives: `Exclude`, `Probe`, `match`, `softmatch`, `ports`, `sslports`,
/// `rarity`, `fallback`, `totalwaitms`, `tcpwrappedms`. A line that cannot be used (most often a pattern PCRE2
/// rejects) is recorded in `issues` and skipped, so one odd line never costs the whole database.
public enum ProbeFileParser {
    public static func parse(_ bytes: [UInt8]) -> ProbeDatabase {
        var database = ProbeDatabase(probes: [])
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(rawLine)
            while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") { line.removeLast() }
            guard let first = line.first, first != UInt8(ascii: "#") else { continue }
            do throws(ProbeFileIssue) {
                try apply(line, number: lineNumber, to: &database)
            } catch {
                database.issues.append(error)
            }
        }
        return database
    }

    public static func parse(_ text: String) -> ProbeDatabase { parse(Array(text.utf8)) }

    private static func apply(_ line: [UInt8], number: Int, to database: inout ProbeDatabase) throws(ProbeFileIssue) {
        let space = line.firstIndex(of: UInt8(ascii: " ")) ?? line.count
        let directive = String(decoding: line[..<space], as: UTF8.self)
        let rest = space < line.count ? Array(line[(space + 1)...]) : []
        let restText = String(decoding: rest, as: UTF8.self)
        func fail(_ message: String) -> ProbeFileIssue { ProbeFileIssue(line: number, message: message) }

        if directive == "Probe" {
            database.probes.append(try probe(rest, number: number))
            return
        }
        if directive == "Exclude" {
            for item in restText.split(separator: ",") {
                try exclude(String(item.trimmingSpaces()), number: number, into: &database)
            }
            return
        }
        guard !database.probes.isEmpty else { throw fail("\(directive) before any Probe") }
        let last = database.probes.count - 1
        switch directive {
        case "match", "softmatch":
            database.probes[last].rules.append(try rule(rest, soft: directive == "softmatch", number: number))
        case "ports", "sslports":
            guard let ranges = PortRanges.parse(restText) else { throw fail("bad port list '\(restText)'") }
            if directive == "ports" { database.probes[last].ports = ranges } else { database.probes[last].sslPorts = ranges }
        case "rarity", "totalwaitms", "tcpwrappedms":
            guard let value = Int(restText.trimmingCharacters()), value >= 0 else { throw fail("bad \(directive) '\(restText)'") }
            switch directive {
            case "rarity": database.probes[last].rarity = value
            case "totalwaitms": database.probes[last].totalWaitMilliseconds = value
            default: database.probes[last].tcpWrappedMilliseconds = value
            }
        case "fallback":
            database.probes[last].fallbackNames = restText.split(separator: ",").map { String($0.trimmingSpaces()) }
        default:
            throw fail("unknown directive '\(directive)'")
        }
    }

    /// `TCP GetRequest q|GET / HTTP/1.0\r\n\r\n|` (the delimiter after q is any byte).
    private static func probe(_ rest: [UInt8], number: Int) throws(ProbeFileIssue) -> ServiceProbe {
        let fields = rest.split(separator: UInt8(ascii: " "), maxSplits: 2)
        guard fields.count == 3, let transport = ProbeTransport(rawValue: String(decoding: fields[0], as: UTF8.self)),
              fields[2].count >= 3, fields[2].first == UInt8(ascii: "q") else {
            throw ProbeFileIssue(line: number, message: "bad Probe line")
        }
        let body = Array(fields[2].dropFirst())
        let delimiter = body[0]
        guard let end = body[1...].firstIndex(of: delimiter), let payload = CEscapes.unescape(body[1..<end]) else {
            throw ProbeFileIssue(line: number, message: "bad probe string")
        }
        return ServiceProbe(transport: transport, name: String(decoding: fields[1], as: UTF8.self),
                            payload: payload, line: number)
    }

    /// `ssh m|^SSH-([\d.]+)-OpenSSH_(\S+)|i p/OpenSSH/ v/$2/ cpe:/a:openbsd:openssh:$2/`.
    private static func rule(_ rest: [UInt8], soft: Bool, number: Int) throws(ProbeFileIssue) -> MatchRule {
        func fail(_ message: String) -> ProbeFileIssue { ProbeFileIssue(line: number, message: message) }
        guard let space = rest.firstIndex(of: UInt8(ascii: " ")) else { throw fail("no service name") }
        let service = String(decoding: rest[..<space], as: UTF8.self)
        var cursor = TemplateCursor(bytes: Array(rest[(space + 1)...]))
        guard let (mode, body, flags) = cursor.next(), mode == "m" else { throw fail("pattern must begin with m") }
        var caseless = false, dotAll = false
        for flag in flags {
            switch flag {
            case "i": caseless = true
            case "s": dotAll = true
            default: throw fail("unknown pattern option '\(flag)'")
            }
        }
        let pattern: Pattern
        do { pattern = try Pattern(bytes: body, caseless: caseless, dotAll: dotAll) }
        catch { throw fail("pattern does not compile: \(error)") }
        var templates = VersionTemplates()
        while let (mode, body, _) = cursor.next() {
            let template = Template(body)
            switch mode {
            case "p": templates.product = template
            case "v": templates.version = template
            case "i": templates.info = template
            case "h": templates.hostname = template
            case "o": templates.osType = template
            case "d": templates.deviceType = template
            case "cpe:": templates.cpes.append(Template(Array("cpe:/".utf8) + body))
            default: throw fail("unknown template '\(mode)'")
            }
        }
        guard cursor.isAtEnd else { throw fail("unterminated template") }
        return MatchRule(service: service, pattern: pattern, isSoft: soft, templates: templates, line: number)
    }

    private static func exclude(_ item: String, number: Int, into database: inout ProbeDatabase) throws(ProbeFileIssue) {
        // "T:9100-9107", "U:30000-40000" or a bare range for both.
        var spec = Substring(item)
        var tcp = true, udp = true
        if spec.hasPrefix("T:") { udp = false; spec = spec.dropFirst(2) }
        else if spec.hasPrefix("U:") { tcp = false; spec = spec.dropFirst(2) }
        guard let ranges = PortRanges.parse(String(spec)) else {
            throw ProbeFileIssue(line: number, message: "bad Exclude '\(item)'")
        }
        if tcp { database.excludedTCP.ranges += ranges.ranges }
        if udp { database.excludedUDP.ranges += ranges.ranges }
    }
}

/// Walks `mode<delim>body<delim>flags` items separated by spaces, as nmap's next_template does.
struct TemplateCursor {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool {
        var probe = index
        while probe < bytes.count, Template.isSpace(bytes[probe]) { probe += 1 }
        return probe == bytes.count
    }

    mutating func next() -> (mode: String, body: [UInt8], flags: String)? {
        while index < bytes.count, Template.isSpace(bytes[index]) { index += 1 }
        let modeStart = index
        while index < bytes.count, Self.isModeByte(bytes[index]) { index += 1 }
        guard index > modeStart, index < bytes.count, !Template.isSpace(bytes[index]) else { index = modeStart; return nil }
        let mode = String(decoding: bytes[modeStart..<index], as: UTF8.self)
        let delimiter = bytes[index]
        guard let end = bytes[(index + 1)...].firstIndex(of: delimiter) else { index = modeStart; return nil }
        let body = Array(bytes[(index + 1)..<end])
        index = end + 1
        let flagStart = index
        while index < bytes.count, Self.isLetter(bytes[index]) { index += 1 }
        return (mode, body, String(decoding: bytes[flagStart..<index], as: UTF8.self))
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
    private static func isModeByte(_ byte: UInt8) -> Bool { isLetter(byte) || byte == UInt8(ascii: ":") }
}

extension String {
    func trimmingCharacters() -> String { String(Substring(self).trimmingSpaces()) }
}
