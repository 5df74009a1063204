import FoundationEssentials
import PortgridCore

/// Reads a portgrid `-oX` report back: the request from its `portgrid-request` comment, hosts from
/// `<status>`, `<address>` and `<hostname>`, ports from `<port>`/`<state>` and from the port lists
/// of `<extrareasons>`. Only portgrid's own XML is read (it is written in one fixed shape), so a
/// tag scanner suffices: no XML library is linked into the binary for it.
public enum XMLReportReader {
    public static func read(_ data: Data, source: String) throws(StoredReportError) -> StoredReport {
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains("<nmaprun scanner=\"portgrid\"") else { throw .notPortgrid(source) }
        guard let start = text.firstRange(of: JSONRequest.xmlCommentPrefix),
              let end = text[start.upperBound...].firstRange(of: " -->") else { throw .noRequest(source) }
        guard let fields = JSONValue.parse(text[start.upperBound..<end.lowerBound].utf8), fields.object != nil else {
            throw .noRequest(source)
        }
        let request = try JSONReportReader.request(fields, source)
        var hosts: [HostResult] = [], results: [PortResult] = []
        var host: HostResult?
        var port: (proto: TransportProtocol, number: UInt16)?
        var foldedState: PortState?
        var interrupted = false
        // -sV's findings: nmap's <service> element of a probed port, with its <cpe> children.
        var detected: [ServiceKey: ServiceIdentity] = [:]
        var service: ServiceKey?
        for tag in Tag.all(in: text[end.upperBound...]) {
            switch tag.name {
            case "host":
                host = HostResult(address: .v4(IPv4Address(0)), status: .unknown, reason: .userSet)
            case "status":
                host?.status = try parse(tag, "state", source) { HostStatus(rawValue: $0) }
                host?.reason = try parse(tag, "reason", source) { Reason(rawValue: $0) }
            case "address" where tag.attributes["addrtype"] == "mac":
                host?.mac = tag.attributes["addr"]
            case "address":
                host?.address = try parse(tag, "addr", source) { IPAddress($0) }
            case "hostname":
                if tag.attributes["type"] == "PTR" {
                    host?.reverseName = tag.attributes["name"]
                } else {
                    host?.hostname = tag.attributes["name"]
                }
            case "/host":
                if let done = host { hosts.append(done) }
                host = nil
            case "port":
                port = (try parse(tag, "protocol", source) { TransportProtocol(rawValue: $0) },
                        try parse(tag, "portid", source) { UInt16($0) })
            case "state":
                guard let address = host?.address, let (proto, number) = port else { break }
                results.append(PortResult(host: address, proto: proto, port: number,
                                          state: try parse(tag, "state", source) { PortState(rawValue: $0) },
                                          reason: try parse(tag, "reason", source) { Reason(rawValue: $0) },
                                          technique: request.technique))
                service = ServiceKey(host: address, proto: proto, port: number)
                port = nil
            case "service" where tag.attributes["method"] == ServiceIdentity.Method.probed.rawValue:
                guard let key = service, let name = tag.attributes["name"] else { break }
                detected[key] = ServiceIdentity(
                    name: name, product: tag.attributes["product"], version: tag.attributes["version"],
                    extraInfo: tag.attributes["extrainfo"], hostname: tag.attributes["hostname"],
                    osType: tag.attributes["ostype"], deviceType: tag.attributes["devicetype"], method: .probed,
                    confidence: tag.attributes["conf"].flatMap { Int($0) } ?? 10, tunnelSSL: tag.attributes["tunnel"] == "ssl")
            case "cpe":
                guard let key = service, detected[key] != nil else { break }
                detected[key]?.cpes.append(Tag.decode(tag.text))
            case "/port":
                service = nil
            case "extraports":
                foldedState = try parse(tag, "state", source) { PortState(rawValue: $0) }
            case "extrareasons":
                guard let address = host?.address, let state = foldedState else { break }
                let proto = try parse(tag, "proto", source) { TransportProtocol(rawValue: $0) }
                let reason = try parse(tag, "reason", source) { Reason(rawValue: $0) }
                guard tag.attributes["ports"] != nil else { throw .foldedWithoutPorts(source) }
                let ports = try parse(tag, "ports", source) { try? PortList(parsing: $0) }
                for number in ports.ports(for: proto) {
                    results.append(PortResult(host: address, proto: proto, port: number, state: state, reason: reason,
                                              technique: request.technique))
                }
            case "finished":
                interrupted = tag.attributes["errormsg"] == "interrupted"
            default:
                break
            }
        }
        return StoredReport(source: source, request: request, interrupted: interrupted, hosts: hosts, results: results,
                            detected: detected.isEmpty ? nil : detected)
    }

    private static func parse<T>(_ tag: Tag, _ attribute: String, _ source: String,
                                 _ make: (String) -> T?) throws(StoredReportError) -> T {
        let text = tag.attributes[attribute] ?? ""
        guard let value = make(text) else { throw .invalidField(source, field: "\(tag.name) \(attribute)", value: text) }
        return value
    }

    /// One start, end or empty-element tag: its name ("/host" for an end tag) and attributes.
    struct Tag {
        var name: String
        var attributes: [String: String]
        /// The text after the tag, up to the next one (a `<cpe>`'s value).
        var text: Substring = ""

        static func all(in text: Substring) -> [Tag] {
            var tags: [Tag] = []
            var rest = text[...]
            while let open = rest.firstIndex(of: "<") {
                guard let close = rest[open...].firstIndex(of: ">") else { break }
                let body = rest[rest.index(after: open)..<close]
                rest = rest[rest.index(after: close)...]
                guard let first = body.first, first != "!", first != "?" else { continue }
                let trimmed = body.hasSuffix("/") ? body.dropLast() : body
                let name = trimmed.prefix { !$0.isWhitespace }
                let following = rest[..<(rest.firstIndex(of: "<") ?? rest.endIndex)]
                tags.append(Tag(name: String(name), attributes: attributes(trimmed.dropFirst(name.count)), text: following))
            }
            return tags
        }

        /// `key="value"` pairs; values are entity-decoded (our writer always uses double quotes).
        static func attributes(_ text: Substring) -> [String: String] {
            var found: [String: String] = [:]
            var rest = text[...]
            while let equals = rest.firstIndex(of: "=") {
                let key = String(rest[..<equals].filter { !$0.isWhitespace })
                guard let quote = rest[equals...].firstIndex(of: "\""),
                      let closing = rest[rest.index(after: quote)...].firstIndex(of: "\"") else { break }
                found[key] = decode(rest[rest.index(after: quote)..<closing])
                rest = rest[rest.index(after: closing)...]
            }
            return found
        }

        static func decode(_ value: Substring) -> String {
            guard value.contains("&") else { return String(value) }
            var out = "", rest = value[...]
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";") else { break }
                let entity = rest[rest.index(after: amp)..<semi]
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let code = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                        : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                    if let code, let scalar = Unicode.Scalar(code) { out.unicodeScalars.append(scalar) }
                }
                rest = rest[rest.index(after: semi)...]
            }
            return out + rest
        }
    }
}

/// A report in either machine format, told apart by its first non-blank character.
public enum StoredReportReader {
    public static func read(_ data: Data, source: String) throws(StoredReportError) -> StoredReport {
        let first = data.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
        return first == UInt8(ascii: "<") ? try XMLReportReader.read(data, source: source)
            : try JSONReportReader.read(data, source: source)
    }
}
